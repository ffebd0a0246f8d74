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
	email, err := normalizeEmail(req.NewEmail)
	if err != nil {
		return err
	}
	target, err := s.redirectTarget(redirectOf(req.Options))
	if err != nil {
		return err
	}
	challenge, err := codeChallengeParam(req.CodeChallenge)
	if err != nil {
		return err
	}
	if err := s.limit(r, "email", s.cfg.RateLimit.Email, s.emailSubject(email)); err != nil {
		return err
	}
	if !s.emailAllowed(email) {
		return fail(errInvalidEmailPassword)
	}
	var msg *message
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		u, err := s.userByID(r.Context(), tx, userID)
		if errors.Is(err, errNoUser) {
			return fail(errInvalidRequest)
		}
		if err != nil {
			return err
		}
		if u.IsAnonymous {
			return fail(errForbiddenAnonymous)
		}
		if _, err := s.userByEmail(r.Context(), tx, email); !errors.Is(err, errNoUser) {
			if err != nil {
				return err
			}
			return fail(errEmailAlreadyInUse)
		}
		ticket := newTicket(ticketEmailConfirmChange)
		if _, err := tx.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET new_email = $1, ticket = $2, ticket_expires_at = $3 WHERE id = $4`),
			email, ticket, s.d.ts(s.now().Add(changeEmailTTL)), u.ID); err != nil {
			return fmt.Errorf("stage email change: %w", err)
		}
		if msg, err = s.ticketEmailTo(r, email, "email-confirm-change", u, ticket, linkEmailConfirmChange, target, challenge); err != nil {
			return err
		}
		return s.stage(r.Context(), tx, msg)
	})
	if err != nil {
		return err
	}
	if err := s.dispatch(r.Context(), msg); err != nil {
		return internal(err)
	}
	writeOK(w)
	return nil
}
