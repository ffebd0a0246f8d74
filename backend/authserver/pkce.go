package authserver

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"time"

	"github.com/google/uuid"
)

// pkceCodeTTL is how long a PKCE code may wait for its exchange.
const pkceCodeTTL = 5 * time.Minute

var challengePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// codeChallengeParam checks an optional S256 code challenge.
func codeChallengeParam(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	if !challengePattern.MatchString(raw) {
		return "", fail(errInvalidRequest)
	}
	return raw, nil
}

// handoff creates what a redirect gives the app to start a session: a
// refreshToken, or with a code challenge a one-time PKCE code.
func (s *Server) handoff(ctx context.Context, tx *sql.Tx, userID, challenge, redirectTo string) (url.Values, error) {
	if challenge == "" {
		token, _, err := s.issueRefreshToken(ctx, tx, userID)
		if err != nil {
			return nil, err
		}
		return url.Values{"refreshToken": {token}}, nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("pkce code: %w", err)
	}
	code := base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO {pkce_authorization_codes} (id, user_id, code_hash, code_challenge, redirect_to, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`), uuid.NewString(), userID, hashCode(code), challenge, redirectTo,
		s.d.ts(now), s.d.ts(now.Add(pkceCodeTTL)))
	if err != nil {
		return nil, fmt.Errorf("pkce code: %w", err)
	}
	return url.Values{"code": {code}}, nil
}

func hashCode(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// challengeOf is the S256 challenge of a verifier.
func challengeOf(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// redeemCode consumes a PKCE code and returns its user, or invalid-request.
func (s *Server) redeemCode(ctx context.Context, tx *sql.Tx, code, verifier string) (string, error) {
	var id, userID, challenge string
	var expires dbTime
	err := tx.QueryRowContext(ctx, s.d.q(`SELECT id, user_id, code_challenge, expires_at FROM {pkce_authorization_codes} WHERE code_hash = $1`),
		hashCode(code)).Scan(&id, &userID, &challenge, &expires)
	if err == sql.ErrNoRows {
		return "", fail(errInvalidRequest)
	}
	if err != nil {
		return "", fmt.Errorf("pkce code: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM {pkce_authorization_codes} WHERE id = $1`), id); err != nil {
		return "", fmt.Errorf("pkce code: %w", err)
	}
	if !s.now().Before(expires.Time) || subtle.ConstantTimeCompare([]byte(challengeOf(verifier)), []byte(challenge)) != 1 {
		return "", fail(errInvalidRequest)
	}
	return userID, nil
}
