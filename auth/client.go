// Package auth is the app's client of the Nhost auth API, the codec of the
// session cookie and the refresh-before-expiry logic. It imports nothing of
// the app and speaks only HTTP, so it works against the embedded auth
// service and a real Nhost project alike.
package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// maxBody caps how much of a response the client reads.
const maxBody = 1 << 20

// Client calls one Nhost auth service. It is safe for concurrent use.
type Client struct {
	base string
	hc   *http.Client

	mu       sync.Mutex
	inflight map[string]*refreshCall
}

// New returns a Client for the auth API at baseURL (for example
// https://<sub>.auth.<region>.nhost.run/v1 or http://127.0.0.1:8080/v1/auth).
// A nil hc means http.DefaultClient.
func New(baseURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), hc: hc, inflight: map[string]*refreshCall{}}
}

// BaseURL returns the auth API's base URL without a trailing slash.
func (c *Client) BaseURL() string { return c.base }

// do sends a JSON request and decodes a JSON response into out (if not nil).
// Non-2xx statuses become wrapped sentinels; transport failures ErrUnavailable.
func (c *Client) do(ctx context.Context, method, path, token string, header http.Header, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encode %s: %w", path, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ip := clientIP(ctx); ip != "" {
		req.Header.Set("X-Forwarded-For", ip)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("%s %s: %w", method, path, ctxErr)
		}
		return fmt.Errorf("%w: %s %s: %w", ErrUnavailable, method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("%w: read %s: %w", ErrUnavailable, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var apiErr APIError
		if json.Unmarshal(raw, &apiErr) != nil || (apiErr.Code == "" && apiErr.Message == "") {
			apiErr = APIError{Status: resp.StatusCode, Message: http.StatusText(resp.StatusCode)}
		}
		return fmt.Errorf("%s %s: %w", method, path, mapError(resp.StatusCode, &apiErr))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%w: decode %s: %w", ErrUnavailable, path, err)
	}
	return nil
}

// signIn posts to an endpoint answering {"session": ...} and returns the session.
func (c *Client) signIn(ctx context.Context, path string, in any) (Session, error) {
	var p sessionPayload
	if err := c.do(ctx, http.MethodPost, path, "", nil, in, &p); err != nil {
		return Session{}, err
	}
	switch {
	case p.Session != nil && p.Session.AccessToken != "":
		return *p.Session, nil
	case p.MFA != nil:
		return Session{}, fmt.Errorf("%s: %w", path, ErrMFARequired)
	default:
		return Session{}, fmt.Errorf("%s: no session issued: %w", path, ErrUnverified)
	}
}

// SignUpEmailPassword creates an account. When the server requires email
// verification it issues no session, and the error wraps ErrUnverified:
// the caller should tell the user to check their email.
func (c *Client) SignUpEmailPassword(ctx context.Context, email, password string, opts SignUpOptions) (Session, error) {
	in := map[string]any{"email": email, "password": password}
	if opts.CodeChallenge != "" {
		in["codeChallenge"] = opts.CodeChallenge
		opts.CodeChallenge = ""
	}
	if opts != (SignUpOptions{}) {
		in["options"] = opts
	}
	s, err := c.signIn(ctx, "/signup/email-password", in)
	if err != nil {
		return Session{}, fmt.Errorf("sign up: %w", err)
	}
	return s, nil
}

// SignInEmailPassword signs in with email and password.
func (c *Client) SignInEmailPassword(ctx context.Context, email, password string) (Session, error) {
	s, err := c.signIn(ctx, "/signin/email-password", map[string]string{"email": email, "password": password})
	if err != nil {
		return Session{}, fmt.Errorf("sign in: %w", err)
	}
	return s, nil
}

// SignInPasswordlessEmail asks the server to email a magic link that lands
// on redirectTo with a refreshToken query parameter, or with a PKCE code
// when challenge (CodeChallenge of a verifier) is not empty.
func (c *Client) SignInPasswordlessEmail(ctx context.Context, email, redirectTo, challenge string) error {
	in := map[string]any{"email": email, "options": SignUpOptions{RedirectTo: redirectTo}}
	if challenge != "" {
		in["codeChallenge"] = challenge
	}
	if err := c.do(ctx, http.MethodPost, "/signin/passwordless/email", "", nil, in, nil); err != nil {
		return fmt.Errorf("magic link: %w", err)
	}
	return nil
}

// SignInPasswordlessSMS asks the server to text a one-time code to phone (E.164).
func (c *Client) SignInPasswordlessSMS(ctx context.Context, phone string) error {
	if err := c.do(ctx, http.MethodPost, "/signin/passwordless/sms", "", nil, map[string]string{"phoneNumber": phone}, nil); err != nil {
		return fmt.Errorf("sms code: %w", err)
	}
	return nil
}

// VerifySMSOTP exchanges the texted code for a session.
func (c *Client) VerifySMSOTP(ctx context.Context, phone, otp string) (Session, error) {
	s, err := c.signIn(ctx, "/signin/passwordless/sms/otp", map[string]string{"phoneNumber": phone, "otp": otp})
	if err != nil {
		return Session{}, fmt.Errorf("verify sms code: %w", err)
	}
	return s, nil
}

// ProviderURL builds the URL the browser navigates to for an OAuth sign-in;
// the server sends it back to redirectTo with a refreshToken parameter, or
// with a PKCE code when challenge is not empty.
func (c *Client) ProviderURL(provider, redirectTo, challenge string) string {
	q := url.Values{}
	if redirectTo != "" {
		q.Set("redirectTo", redirectTo)
	}
	if challenge != "" {
		q.Set("codeChallenge", challenge)
	}
	u := c.base + "/signin/provider/" + url.PathEscape(provider)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// RefreshToken exchanges a refresh token for a new Session (POST /token,
// a bare Session). The old refresh token is dead afterwards.
func (c *Client) RefreshToken(ctx context.Context, refreshToken string) (Session, error) {
	var s Session
	if err := c.do(ctx, http.MethodPost, "/token", "", nil, map[string]string{"refreshToken": refreshToken}, &s); err != nil {
		return Session{}, fmt.Errorf("refresh: %w", err)
	}
	if s.AccessToken == "" {
		return Session{}, fmt.Errorf("refresh: empty session: %w", ErrUnavailable)
	}
	return s, nil
}

// SignOut deletes the refresh token on the server. An already dead token is
// not an error: the user is signed out either way.
func (c *Client) SignOut(ctx context.Context, refreshToken string) error {
	c.forget(refreshToken)
	err := c.do(ctx, http.MethodPost, "/signout", "", nil, map[string]any{"refreshToken": refreshToken}, nil)
	if err != nil && !errors.Is(err, ErrUnauthenticated) {
		return fmt.Errorf("sign out: %w", err)
	}
	return nil
}

// User loads the signed-in user (GET /user).
func (c *Client) User(ctx context.Context, accessToken string) (User, error) {
	var u User
	if err := c.do(ctx, http.MethodGet, "/user", accessToken, nil, nil, &u); err != nil {
		return User{}, fmt.Errorf("user: %w", err)
	}
	return u, nil
}

// SendVerificationEmail sends a new verification link landing on
// redirectTo, with a PKCE code when challenge is not empty.
func (c *Client) SendVerificationEmail(ctx context.Context, email, redirectTo, challenge string) error {
	in := map[string]any{"email": email, "options": map[string]string{"redirectTo": redirectTo}}
	if challenge != "" {
		in["codeChallenge"] = challenge
	}
	if err := c.do(ctx, http.MethodPost, "/user/email/send-verification-email", "", nil, in, nil); err != nil {
		return fmt.Errorf("send verification email: %w", err)
	}
	return nil
}

// ResetPassword emails a password-reset link landing on redirectTo, with a
// PKCE code when challenge is not empty. The server answers OK for unknown
// addresses too.
func (c *Client) ResetPassword(ctx context.Context, email, redirectTo, challenge string) error {
	in := map[string]any{"email": email, "options": map[string]string{"redirectTo": redirectTo}}
	if challenge != "" {
		in["codeChallenge"] = challenge
	}
	if err := c.do(ctx, http.MethodPost, "/user/password/reset", "", nil, in, nil); err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	return nil
}

// ChangePassword sets a new password for the signed-in user.
func (c *Client) ChangePassword(ctx context.Context, accessToken, newPassword string) error {
	if err := c.do(ctx, http.MethodPost, "/user/password", accessToken, nil, map[string]string{"newPassword": newPassword}, nil); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return nil
}

// DevOutbox reads the embedded auth service's development outbox (GET
// /dev/outbox, opened by the admin secret), newest first. Real Nhost has no
// such endpoint.
func (c *Client) DevOutbox(ctx context.Context, adminSecret string) ([]Message, error) {
	h := http.Header{"X-Hasura-Admin-Secret": {adminSecret}}
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodGet, "/dev/outbox", "", h, nil, &raw); err != nil {
		return nil, fmt.Errorf("dev outbox: %w", err)
	}
	var msgs []Message
	if err := json.Unmarshal(raw, &msgs); err != nil {
		var wrapped struct {
			Messages []Message `json:"messages"`
		}
		if err := json.Unmarshal(raw, &wrapped); err != nil {
			return nil, fmt.Errorf("%w: decode dev outbox: %w", ErrUnavailable, err)
		}
		msgs = wrapped.Messages
	}
	sortNewestFirst(msgs)
	return msgs, nil
}

func sortNewestFirst(msgs []Message) {
	slices.SortStableFunc(msgs, func(a, b Message) int { return b.CreatedAt.Compare(a.CreatedAt) })
}

// expiresAt returns when a session's access token expires.
func (s Session) expiresAt(now time.Time) time.Time {
	if exp, err := tokenExpiry(s.AccessToken); err == nil {
		return exp
	}
	return now.Add(time.Duration(s.AccessTokenExpiresIn) * time.Second)
}
