package authserver

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/notes-app/notes/backend/hasurajwt"
)

// sessionJSON is the contract's Session.
type sessionJSON struct {
	AccessToken          string    `json:"accessToken"`
	AccessTokenExpiresIn int64     `json:"accessTokenExpiresIn"`
	RefreshToken         string    `json:"refreshToken"`
	RefreshTokenID       string    `json:"refreshTokenId"`
	User                 *userJSON `json:"user,omitempty"`
}

// sessionPayload is {"session": Session}, or {} when no session is issued.
type sessionPayload struct {
	Session *sessionJSON `json:"session,omitempty"`
}

// defaultIssuer is hasura-auth's iss when the JWT secret names none.
const defaultIssuer = "hasura-auth"

// hashRefreshToken is how refresh tokens are stored: "\x" + hex(SHA-256).
func hashRefreshToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return `\x` + hex.EncodeToString(sum[:])
}

// newSession creates a refresh-token row for the user, bumps last_seen and
// mints an access token.
func (s *Server) newSession(ctx context.Context, tx *sql.Tx, u *user) (*sessionJSON, error) {
	token, id, err := s.issueRefreshToken(ctx, tx, u.ID)
	if err != nil {
		return nil, err
	}
	return s.sessionFor(u, token, id)
}

// issueRefreshToken stores a new refresh token (only its hash) for the
// user and bumps last_seen; it returns the token and its row id.
func (s *Server) issueRefreshToken(ctx context.Context, tx *sql.Tx, userID string) (token, id string, err error) {
	token, id = uuid.NewString(), uuid.NewString()
	now := s.now()
	_, err = tx.ExecContext(ctx, s.d.q(`INSERT INTO {refresh_tokens} (id, created_at, expires_at, user_id, type, refresh_token_hash)
		VALUES ($1, $2, $3, $4, 'regular', $5)`),
		id, s.d.ts(now), s.d.ts(now.Add(s.cfg.RefreshTokenExpiresIn)), userID, hashRefreshToken(token))
	if err != nil {
		return "", "", fmt.Errorf("insert refresh token: %w", err)
	}
	if err := s.touch(ctx, tx, userID); err != nil {
		return "", "", err
	}
	if rand.IntN(100) == 0 {
		// Now and then, drop expired sessions (hasura-auth does the same).
		if _, err := tx.ExecContext(ctx, s.d.q(`DELETE FROM {refresh_tokens} WHERE expires_at < $1`), s.d.ts(now)); err != nil {
			return "", "", fmt.Errorf("prune refresh tokens: %w", err)
		}
	}
	return token, id, nil
}

// touch sets last_seen.
func (s *Server) touch(ctx context.Context, q queryer, userID string) error {
	if _, err := q.ExecContext(ctx, s.d.q(`UPDATE {users} SET last_seen = $1 WHERE id = $2`), s.d.ts(s.now()), userID); err != nil {
		return fmt.Errorf("update last_seen: %w", err)
	}
	return nil
}

func (s *Server) sessionFor(u *user, refreshToken, refreshTokenID string) (*sessionJSON, error) {
	access, err := s.accessToken(u)
	if err != nil {
		return nil, err
	}
	return &sessionJSON{
		AccessToken:          access,
		AccessTokenExpiresIn: int64(s.cfg.AccessTokenExpiresIn.Seconds()),
		RefreshToken:         refreshToken,
		RefreshTokenID:       refreshTokenID,
		User:                 u.toJSON(u.sessionRoles()),
	}, nil
}

// accessToken mints the JWT with exactly the claims of contract §6.
func (s *Server) accessToken(u *user) (string, error) {
	now := s.now()
	ns := s.jwt.ClaimsNamespace
	if ns == "" {
		ns = hasurajwt.DefaultNamespace
	}
	iss := s.jwt.Issuer
	if iss == "" {
		iss = defaultIssuer
	}
	anonymous := "false"
	if u.IsAnonymous {
		anonymous = "true"
	}
	claims := jwt.MapClaims{
		"sub": u.ID,
		"iss": iss,
		"iat": now.Unix(),
		"exp": now.Add(s.cfg.AccessTokenExpiresIn).Unix(),
		ns: map[string]any{
			"x-hasura-user-id":           u.ID,
			"x-hasura-default-role":      u.DefaultRole,
			"x-hasura-allowed-roles":     u.sessionRoles(),
			"x-hasura-user-is-anonymous": anonymous,
		},
	}
	tok, err := s.jwt.Sign(claims)
	if err != nil {
		return "", fmt.Errorf("access token: %w", err)
	}
	return tok, nil
}

// errNoBearer marks a request without a usable access token.
var errNoBearer = errors.New("no bearer token")

// bearer returns the user id of a valid access token in the Authorization
// header, or errNoBearer / the verification error.
func (s *Server) bearer(r *http.Request) (string, error) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", errNoBearer
	}
	return s.verifyAccessToken(strings.TrimSpace(token))
}

func (s *Server) verifyAccessToken(token string) (string, error) {
	claims, err := s.jwt.Verify(token, s.now())
	if err != nil {
		return "", err
	}
	if claims.Subject == "" {
		return "", errors.New("token has no sub")
	}
	return claims.Subject, nil
}

// writeUnauthorized sends the validation layer's 401 (contract §2.2).
func writeUnauthorized(w http.ResponseWriter, err error) {
	reason := "invalid or expired token"
	if errors.Is(err, errNoBearer) {
		reason = "missing or malformed authorization header"
	}
	writeJSON(w, http.StatusUnauthorized, unauthorizedBody{Error: string(errUnauthorized), Reason: reason, SecurityScheme: "BearerAuth"})
}

// checkUser applies the validity checks every session issue runs:
// disabled, then unverified email when verification is required.
func (s *Server) checkUser(u *user) error {
	if u.Disabled {
		return fail(errDisabledUser)
	}
	if s.cfg.EmailVerificationRequired && u.Email.Valid && !u.EmailVerified && !u.IsAnonymous && !u.PhoneNumberVerified {
		return fail(errUnverifiedUser)
	}
	return nil
}
