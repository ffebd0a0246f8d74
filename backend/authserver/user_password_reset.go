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
		if u.Disabled || u.IsAnonymous || !s.emailAllowed(lr.email) {
			return nil, nil
		}
		ticket := newTicket(ticketPasswordReset)
		if err := s.setTicket(r.Context(), tx, u.ID, ticket, passwordResetTTL); err != nil {
			return nil, err
		}
		return s.ticketEmail(r, "password-reset", u, ticket, linkPasswordReset, lr.target, lr.challenge)
	})
}

func redirectOf(o *redirectOptions) string {
	if o == nil {
		return ""
	}
	return o.RedirectTo
}
