package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// ErrPKCEUnsupported means the auth service has no POST /token/exchange
// (Nhost Auth before 0.43): it cannot finish a PKCE hand-off, and the app
// does not fall back to plain refresh-token hand-offs.
var ErrPKCEUnsupported = errors.New("auth: the auth service does not support PKCE (POST /token/exchange); upgrade Nhost Auth")

// maxFlows bounds the pending hand-offs a session keeps (the cookie
// travels on every request); starting one more forgets the oldest.
const maxFlows = 3

// Flow is one redirect hand-off the app started (a magic link, a provider
// sign-in, a verification or reset email): the id travels in the
// redirectTo URL, the PKCE code verifier stays in the encrypted session.
type Flow struct {
	ID       string `json:"i"`
	Verifier string `json:"v"`
}

// CodeChallenge returns the S256 challenge of a code verifier:
// base64url(SHA-256(verifier)), 43 characters.
func CodeChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// StartFlow records a new hand-off with a fresh code verifier (32 random
// bytes, base64url, as nhost-js makes them) and returns its id and the
// challenge to send to the auth service.
func (s *State) StartFlow() (id, challenge string) {
	f := Flow{ID: NewToken()[:16], Verifier: NewToken()}
	s.Flows = append(s.Flows, f)
	if len(s.Flows) > maxFlows {
		s.Flows = slices.Delete(s.Flows, 0, len(s.Flows)-maxFlows)
	}
	return f.ID, CodeChallenge(f.Verifier)
}

// TakeFlow removes the hand-off id from the state and returns its
// verifier; ok is false when this session did not start it.
func (s *State) TakeFlow(id string) (verifier string, ok bool) {
	i := slices.IndexFunc(s.Flows, func(f Flow) bool { return id != "" && f.ID == id })
	if i < 0 {
		return "", false
	}
	verifier = s.Flows[i].Verifier
	s.Flows = slices.Delete(s.Flows, i, i+1)
	return verifier, true
}

// ExchangeCode finishes a PKCE hand-off: the one-time code from the
// redirect and the verifier whose challenge started the flow give a session
// (POST /token/exchange). A code that is unknown, used, expired or not
// made for this verifier wraps ErrInvalidInput; a service without the
// endpoint wraps ErrPKCEUnsupported.
func (c *Client) ExchangeCode(ctx context.Context, code, verifier string) (Session, error) {
	var p sessionPayload
	err := c.do(ctx, http.MethodPost, "/token/exchange", "", nil, map[string]string{"code": code, "codeVerifier": verifier}, &p)
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound {
		return Session{}, fmt.Errorf("exchange code: %w: %w", ErrPKCEUnsupported, err)
	}
	if err != nil {
		return Session{}, fmt.Errorf("exchange code: %w", err)
	}
	if p.Session == nil || p.Session.AccessToken == "" {
		return Session{}, fmt.Errorf("exchange code: no session issued: %w", ErrUnavailable)
	}
	return *p.Session, nil
}
