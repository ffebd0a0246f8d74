package authserver

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/uuid"
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
		now := s.now()
		var id, userID string
		err := tx.QueryRowContext(r.Context(), s.d.q(`UPDATE {refresh_tokens} SET refresh_token_hash = $1, expires_at = $2
			WHERE refresh_token_hash = $3 AND type = 'regular' AND expires_at > $4 RETURNING id, user_id`),
			hashRefreshToken(next), s.d.ts(now.Add(s.cfg.RefreshTokenExpiresIn)),
			hashRefreshToken(req.RefreshToken), s.d.ts(now)).Scan(&id, &userID)
		if errors.Is(err, sql.ErrNoRows) {
			return fail(errInvalidRefreshToken)
		}
		if err != nil {
			return fmt.Errorf("rotate refresh token: %w", err)
		}
		u, err := s.touchUser(r.Context(), tx, userID)
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
