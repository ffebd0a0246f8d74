package authserver

import (
	"database/sql"
	"errors"
	"net/http"
)

type emailRedirectRequest struct {
	Email   string           `json:"email"`
	Options *redirectOptions `json:"options"`
	// CodeChallenge asks for a PKCE hand-off after the link.
	CodeChallenge string `json:"codeChallenge"`
}

// handleUserPasswordReset serves POST /user/password/reset: it emails a
// passwordReset link to a known, enabled address and answers "OK" in
// every other case too, so it cannot be used to find accounts.
func (s *Server) handleUserPasswordReset(w http.ResponseWriter, r *http.Request) error {
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
		if u.Disabled || u.IsAnonymous || !s.emailAllowed(email) {
			return nil
		}
		ticket := newTicket(ticketPasswordReset)
		if err := s.setTicket(r.Context(), tx, u.ID, ticket, passwordResetTTL); err != nil {
			return err
		}
		if msg, err = s.ticketEmail(r, "password-reset", u, ticket, linkPasswordReset, target, challenge); err != nil {
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

func redirectOf(o *redirectOptions) string {
	if o == nil {
		return ""
	}
	return o.RedirectTo
}
