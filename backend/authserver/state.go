package authserver

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/notes-app/notes/backend/hasurajwt"
)

// stateTTL is how long an OAuth round trip may take (contract: 60 s).
const stateTTL = 60 * time.Second

// oauthState is what the signed state JWT carries through the provider:
// the sign-up options, the user to link (connect) and the app's state.
type oauthState struct {
	Provider    string          `json:"provider"`
	RedirectTo  string          `json:"redirectTo"`
	Roles       []string        `json:"allowedRoles"`
	DefaultRole string          `json:"defaultRole"`
	DisplayName string          `json:"displayName,omitempty"`
	Locale      string          `json:"locale"`
	Metadata    json.RawMessage `json:"metadata,omitempty"`
	Connect     string          `json:"connect,omitempty"`
	AppState    string          `json:"state,omitempty"`
	// Flow is "signin" or "signup" (GET /signup/provider/{provider}).
	Flow string `json:"flow"`
	// CodeChallenge, when set, makes the callback hand off a PKCE code.
	CodeChallenge string `json:"codeChallenge,omitempty"`
	Nonce         string `json:"nonce"`
	jwt.RegisteredClaims
}

// deriveStateKey derives the state-signing key from the JWT secret, so
// every instance sharing the secret accepts each other's states: the key
// is the hash of a fixed token signed with the secret. Signatures that are
// not deterministic (ECDSA) get a random per-process key instead.
func deriveStateKey(cfg *hasurajwt.Config) ([]byte, error) {
	fixed := jwt.MapClaims{"sub": "notes-authserver-oauth-state-key", "iat": 0}
	a, err := cfg.Sign(fixed)
	if err != nil {
		return nil, fmt.Errorf("authserver: derive state key: %w", err)
	}
	b, err := cfg.Sign(fixed)
	if err != nil {
		return nil, fmt.Errorf("authserver: derive state key: %w", err)
	}
	if a != b {
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		return key, nil
	}
	sum := sha256.Sum256([]byte("notes-authserver oauth state\x00" + a))
	return sum[:], nil
}

func (s *Server) signState(st oauthState) (string, error) {
	now := s.now()
	st.IssuedAt = jwt.NewNumericDate(now)
	st.ExpiresAt = jwt.NewNumericDate(now.Add(stateTTL))
	st.Subject = "oauth-state"
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, &st).SignedString(s.stateKey)
	if err != nil {
		return "", fmt.Errorf("sign state: %w", err)
	}
	return tok, nil
}

// errBadState covers every state that is forged, expired or for another provider.
var errBadState = errors.New("bad oauth state")

func (s *Server) parseState(raw, provider string) (*oauthState, error) {
	var st oauthState
	_, err := jwt.ParseWithClaims(raw, &st, func(*jwt.Token) (any, error) { return s.stateKey, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(s.now), jwt.WithExpirationRequired(),
		jwt.WithSubject("oauth-state"))
	if err != nil || st.Provider != provider {
		return nil, errBadState
	}
	return &st, nil
}
