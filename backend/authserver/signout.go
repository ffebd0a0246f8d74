package authserver

import (
	"fmt"
	"net/http"
)

type signOutRequest struct {
	RefreshToken string `json:"refreshToken"`
	All          bool   `json:"all"`
}

// handleSignOut serves POST /signout: with all=true (and a valid bearer
// token) it deletes every session of the user, otherwise the one session
// of refreshToken. Access tokens stay valid until they expire.
func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) error {
	var req signOutRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.All {
		userID, err := s.bearer(r)
		if err != nil {
			writeUnauthorized(w, err)
			return nil
		}
		if _, err := s.d.db.ExecContext(r.Context(), s.d.q(`DELETE FROM {refresh_tokens} WHERE user_id = $1 AND type = 'regular'`), userID); err != nil {
			return fmt.Errorf("sign out all: %w", err)
		}
		writeOK(w)
		return nil
	}
	if req.RefreshToken == "" {
		return fail(errInvalidRequest)
	}
	if _, err := s.d.db.ExecContext(r.Context(), s.d.q(`DELETE FROM {refresh_tokens} WHERE refresh_token_hash = $1`), hashRefreshToken(req.RefreshToken)); err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	writeOK(w)
	return nil
}
