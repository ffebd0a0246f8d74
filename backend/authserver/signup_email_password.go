package authserver

import (
	"database/sql"
	"net/http"
	"unicode/utf8"
)

type signUpEmailPasswordRequest struct {
	Email    string         `json:"email"`
	Password string         `json:"password"`
	Options  *signUpOptions `json:"options"`
	// CodeChallenge asks for a PKCE hand-off after the verification link.
	CodeChallenge string `json:"codeChallenge"`
}

// maxPasswordLength is the contract's schema limit.
const maxPasswordLength = 50

// checkPassword applies the schema bounds and AUTH_PASSWORD_MIN_LENGTH.
func (s *Server) checkPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n > maxPasswordLength {
		return fail(errInvalidRequest)
	}
	if n < s.cfg.PasswordMinLength {
		return fail(errPasswordTooShort)
	}
	return nil
}

// handleSignUpEmailPassword serves POST /signup/email-password.
func (s *Server) handleSignUpEmailPassword(w http.ResponseWriter, r *http.Request) error {
	var req signUpEmailPasswordRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	email, err := normalizeEmail(req.Email)
	if err != nil {
		return err
	}
	if err := s.limit(r, "signups", s.cfg.RateLimit.Signups, email); err != nil {
		return err
	}
	if s.cfg.DisableSignup {
		return fail(errSignupDisabled)
	}
	if !s.emailAllowed(email) {
		return fail(errInvalidEmailPassword)
	}
	if err := s.checkPassword(req.Password); err != nil {
		return err
	}
	prof, err := s.resolve(req.Options, email)
	if err != nil {
		return err
	}
	challenge, err := codeChallengeParam(req.CodeChallenge)
	if err != nil {
		return err
	}
	hash, err := s.hasher.hash(r.Context(), req.Password)
	if err != nil {
		return err
	}
	var (
		msg  *message
		out  sessionPayload
		user *user
	)
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		n := newUser{
			Email: email, PasswordHash: hash, DisplayName: prof.DisplayName, AvatarURL: s.gravatar(email),
			Locale: prof.Locale, DefaultRole: prof.DefaultRole, Roles: prof.Roles, Metadata: prof.Metadata,
			Disabled: s.cfg.DisableNewUsers,
		}
		if s.cfg.EmailVerificationRequired {
			n.Ticket, n.TicketExpiresAt = newTicket(ticketVerifyEmail), s.now().Add(verifyEmailTTL)
		}
		u, err := s.createUser(r.Context(), tx, n)
		if err != nil {
			return err
		}
		user = u
		if u.Disabled {
			return nil
		}
		if s.cfg.EmailVerificationRequired {
			if msg, err = s.ticketEmail(r, "email-verify", u, n.Ticket, linkEmailVerify, prof.RedirectTo, challenge); err != nil {
				return err
			}
			return s.stage(r.Context(), tx, msg)
		}
		out.Session, err = s.newSession(r.Context(), tx, u)
		return err
	})
	if err != nil {
		return err
	}
	if err := s.dispatch(r.Context(), msg); err != nil {
		return internal(err)
	}
	if user.Disabled {
		return fail(errDisabledUser)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
