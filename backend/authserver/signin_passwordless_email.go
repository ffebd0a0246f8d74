package authserver

import (
	"database/sql"
	"net/http"
)

type passwordlessEmailRequest struct {
	Email   string         `json:"email"`
	Options *signUpOptions `json:"options"`
	// CodeChallenge asks for a PKCE hand-off after the link.
	CodeChallenge string `json:"codeChallenge"`
}

// handleSignInPasswordlessEmail serves POST /signin/passwordless/email: it
// emails a magic link, creating the user first when the email is new.
func (s *Server) handleSignInPasswordlessEmail(w http.ResponseWriter, r *http.Request) error {
	return s.passwordlessEmail(w, r, false)
}

// handleSignUpPasswordlessEmail serves POST /signup/passwordless/email, the
// explicit sign-up twin: an existing user gets a silent "OK".
func (s *Server) handleSignUpPasswordlessEmail(w http.ResponseWriter, r *http.Request) error {
	return s.passwordlessEmail(w, r, true)
}

func (s *Server) passwordlessEmail(w http.ResponseWriter, r *http.Request, signup bool) error {
	if !s.cfg.EmailPasswordlessEnabled {
		return fail(errDisabledEndpoint)
	}
	req, email, prof, err := s.passwordlessEmailStart(w, r)
	if err != nil {
		return err
	}
	challenge, err := codeChallengeParam(req.CodeChallenge)
	if err != nil {
		return err
	}
	return s.deliver(w, r, func(tx *sql.Tx) (*message, error) {
		u, ok, err := s.passwordlessUser(r.Context(), tx, func() (*user, error) {
			return s.userByEmail(r.Context(), tx, email)
		}, s.newEmailUser(email, prof), signup)
		if !ok || err != nil {
			return nil, err
		}
		ticket := newTicket(ticketPasswordlessEmail)
		if err := s.setTicket(r.Context(), tx, u.ID, ticket, passwordlessTTL); err != nil {
			return nil, err
		}
		return s.ticketEmail(r, "signin-passwordless", u, ticket, linkSigninPasswordless, prof.RedirectTo, challenge)
	})
}

// emailSubject is the per-address rate-limit key, or one shared key under
// AUTH_RATE_LIMIT_EMAIL_IS_GLOBAL.
func (s *Server) emailSubject(email string) string {
	if s.cfg.RateLimit.EmailIsGlobal {
		return "*"
	}
	return email
}
