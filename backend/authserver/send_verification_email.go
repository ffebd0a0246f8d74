package authserver

import (
	"database/sql"
	"errors"
	"net/http"
)

// handleSendVerificationEmail serves POST
// /user/email/send-verification-email: a new verifyEmail link (30 days) to
// an unverified address; email-already-verified otherwise. An unknown
// address gets a silent "OK".
func (s *Server) handleSendVerificationEmail(w http.ResponseWriter, r *http.Request) error {
	var req emailRedirectRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	lr, err := s.checkLinkRequest(r, req.Email, req.Options, req.CodeChallenge)
	if err != nil {
		return err
	}
	return s.deliver(w, r, func(tx *sql.Tx) (*message, error) {
		u, err := s.userByEmail(r.Context(), tx, lr.email)
		if errors.Is(err, errNoUser) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if u.EmailVerified {
			return nil, fail(errEmailAlreadyVerified)
		}
		if u.Disabled {
			return nil, fail(errDisabledUser)
		}
		ticket := newTicket(ticketVerifyEmail)
		if err := s.setTicket(r.Context(), tx, u.ID, ticket, verifyEmailTTL); err != nil {
			return nil, err
		}
		return s.ticketEmail(r, "email-verify", u, ticket, linkEmailVerify, lr.target, lr.challenge)
	})
}
