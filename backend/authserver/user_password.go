package authserver

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
)

type userPasswordRequest struct {
	NewPassword string `json:"newPassword"`
	Ticket      string `json:"ticket"`
}

// handleUserPassword serves POST /user/password: with a bearer token it
// sets the signed-in user's password; without one it needs a
// passwordReset ticket, which it consumes, and then also ends every
// session of the user.
func (s *Server) handleUserPassword(w http.ResponseWriter, r *http.Request) error {
	var req userPasswordRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.NewPassword == "" {
		return fail(errInvalidRequest)
	}
	if err := s.checkPassword(req.NewPassword); err != nil {
		return err
	}
	userID, authErr := s.bearer(r)
	if authErr != nil && !errors.Is(authErr, errNoBearer) {
		writeUnauthorized(w, authErr)
		return nil
	}
	if authErr != nil {
		if ticketKind(req.Ticket) != ticketPasswordReset {
			return fail(errInvalidRequest)
		}
		if err := s.limit(r, "bruteforce", s.cfg.RateLimit.BruteForce, ""); err != nil {
			return err
		}
	}
	hash, err := s.hasher.hash(r.Context(), req.NewPassword)
	if err != nil {
		return err
	}
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		if authErr == nil {
			u, err := s.userByID(r.Context(), tx, userID)
			if err != nil {
				return fail(errInvalidRequest)
			}
			if u.IsAnonymous {
				return fail(errForbiddenAnonymous)
			}
			_, err = tx.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET password_hash = $1 WHERE id = $2`), hash, userID)
			return err
		}
		u, err := s.userWhere(r.Context(), tx, `ticket = $1`, req.Ticket)
		if errors.Is(err, errNoUser) || (err == nil && !s.now().Before(u.TicketExpiresAt)) {
			return fail(errInvalidTicket)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET password_hash = $1, ticket = NULL,
			ticket_expires_at = $2 WHERE id = $3`), hash, s.d.ts(s.now()), u.ID); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		_, err = tx.ExecContext(r.Context(), s.d.q(`DELETE FROM {refresh_tokens} WHERE user_id = $1 AND type = 'regular'`), u.ID)
		return err
	})
	if err != nil {
		return err
	}
	writeOK(w)
	return nil
}
