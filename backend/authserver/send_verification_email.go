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
	email, err := normalizeEmail(req.Email)
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
	var msg *message
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		u, err := s.userByEmail(r.Context(), tx, email)
		if errors.Is(err, errNoUser) {
			return nil
		}
		if err != nil {
			return err
		}
		if u.EmailVerified {
			return fail(errEmailAlreadyVerified)
		}
		if u.Disabled {
			return fail(errDisabledUser)
		}
		ticket := newTicket(ticketVerifyEmail)
		if err := s.setTicket(r.Context(), tx, u.ID, ticket, verifyEmailTTL); err != nil {
			return err
		}
		if msg, err = s.ticketEmail(r, "email-verify", u, ticket, linkEmailVerify, target, challenge); err != nil {
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
