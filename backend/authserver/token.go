package authserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/uuid"

	"github.com/notes-app/notes/backend/store"
)

type tokenRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// handleToken serves POST /token: it rotates the refresh token in place
// (same row id, new hash, new expiry) and returns a bare Session. The old
// value is dead at once, so reusing it is invalid-refresh-token.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.RefreshToken == "" {
		return fail(errInvalidRequest)
	}
	if _, err := uuid.Parse(req.RefreshToken); err != nil {
		return fail(errInvalidRefreshToken)
	}
	var out *sessionJSON
	err := s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		next := uuid.NewString()
		id, u, err := s.rotate(r.Context(), tx, req.RefreshToken, next)
		if err != nil {
			return err
		}
		if err := s.checkUser(u); err != nil {
			return err // and the transaction's writes roll back
		}
		out, err = s.sessionFor(u, next, id)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// rotate replaces a live regular refresh token's hash by next's, extends
// it, bumps the user's last_seen, and returns the token's row id and its
// user. An unknown, expired or non-regular token is invalid-refresh-token.
// Postgres does it in one statement (a data-modifying WITH); SQLite, which
// has none and no round trips to save, in two.
func (s *Server) rotate(ctx context.Context, tx *sql.Tx, old, next string) (string, *user, error) {
	now := s.now()
	args := []any{hashRefreshToken(next), s.d.ts(now.Add(s.cfg.RefreshTokenExpiresIn)), hashRefreshToken(old), s.d.ts(now)}
	const update = `UPDATE {refresh_tokens} SET refresh_token_hash = $1, expires_at = $2
		WHERE refresh_token_hash = $3 AND type = 'regular' AND expires_at > $4`
	var id string
	if s.d.db.Dialect == store.Postgres {
		row := tx.QueryRowContext(ctx, s.d.q(`WITH rt AS (`+update+` RETURNING id AS rt_id, user_id AS rt_user)
			UPDATE {users} SET last_seen = $4 FROM rt WHERE {users}.id = rt.rt_user RETURNING rt.rt_id, `+s.userList()), args...)
		u, err := s.scanUser(row, &id)
		if errors.Is(err, errNoUser) {
			return "", nil, fail(errInvalidRefreshToken)
		}
		if err != nil {
			return "", nil, fmt.Errorf("rotate refresh token: %w", err)
		}
		return id, u, nil
	}
	var userID string
	err := tx.QueryRowContext(ctx, s.d.q(update+` RETURNING id, user_id`), args...).Scan(&id, &userID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, fail(errInvalidRefreshToken)
	}
	if err != nil {
		return "", nil, fmt.Errorf("rotate refresh token: %w", err)
	}
	u, err := s.touchUser(ctx, tx, userID)
	return id, u, err
}
