package authserver

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
)

type userEmailChangeRequest struct {
	NewEmail string           `json:"newEmail"`
	Options  *redirectOptions `json:"options"`
	// CodeChallenge asks for a PKCE hand-off after the link.
	CodeChallenge string `json:"codeChallenge"`
}

// handleUserEmailChange serves POST /user/email/change (Bearer): it keeps
// the new address in new_email and sends an emailConfirmChange link to
// it; following the link through /verify makes it the user's email.
func (s *Server) handleUserEmailChange(w http.ResponseWriter, r *http.Request) error {
	userID, err := s.bearer(r)
	if err != nil {
		writeUnauthorized(w, err)
		return nil
	}
	var req userEmailChangeRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	lr, err := s.checkLinkRequest(r, req.NewEmail, req.Options, req.CodeChallenge)
	if err != nil {
		return err
	}
	if !s.emailAllowed(lr.email) {
		return fail(errInvalidEmailPassword)
	}
	return s.deliver(w, r, func(tx *sql.Tx) (*message, error) {
		u, err := s.userByID(r.Context(), tx, userID)
		if errors.Is(err, errNoUser) {
			return nil, fail(errInvalidRequest)
		}
		if err != nil {
			return nil, err
		}
		if u.IsAnonymous {
			return nil, fail(errForbiddenAnonymous)
		}
		if _, err := s.userByEmail(r.Context(), tx, lr.email); !errors.Is(err, errNoUser) {
			if err != nil {
				return nil, err
			}
			return nil, fail(errEmailAlreadyInUse)
		}
		ticket := newTicket(ticketEmailConfirmChange)
		if _, err := tx.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET new_email = $1, ticket = $2, ticket_expires_at = $3 WHERE id = $4`),
			lr.email, ticket, s.d.ts(s.now().Add(changeEmailTTL)), u.ID); err != nil {
			return nil, fmt.Errorf("stage email change: %w", err)
		}
		return s.ticketEmailTo(r, lr.email, "email-confirm-change", u, ticket, linkEmailConfirmChange, lr.target, lr.challenge)
	})
}
