package authserver

import (
	"database/sql"
	"errors"
	"net/http"
	"strings"
)

// otpTicketPrefix marks an email OTP in auth.users.ticket; the rest is the
// bcrypt hash of the code, so the code is never stored in clear. /verify
// refuses tickets with this prefix.
const otpTicketPrefix = "otp:"

// handleSignInOTPEmail serves POST /signin/otp/email: it emails a 6-digit
// code valid for an hour, creating the user first when the email is new.
func (s *Server) handleSignInOTPEmail(w http.ResponseWriter, r *http.Request) error {
	return s.otpEmail(w, r, false)
}

// handleSignUpOTPEmail serves POST /signup/otp/email, the explicit
// sign-up twin: an existing user gets a silent "OK".
func (s *Server) handleSignUpOTPEmail(w http.ResponseWriter, r *http.Request) error {
	return s.otpEmail(w, r, true)
}

func (s *Server) otpEmail(w http.ResponseWriter, r *http.Request, signup bool) error {
	if !s.cfg.OTPEmailEnabled {
		return fail(errDisabledEndpoint)
	}
	_, email, prof, err := s.passwordlessEmailStart(w, r)
	if err != nil {
		return err
	}
	code, err := otpCode()
	if err != nil {
		return internal(err)
	}
	hash, err := s.hasher.hash(r.Context(), code)
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
		if err := s.setTicket(r.Context(), tx, u.ID, otpTicketPrefix+hash, passwordlessTTL); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET otp_attempts = 0 WHERE id = $1`), u.ID); err != nil {
			return nil, err
		}
		return s.mail.render("signin-otp", email, emailData{DisplayName: u.DisplayName, Email: email,
			Locale: u.Locale, Ticket: code, ServerURL: s.baseURL(r), ClientURL: s.cfg.ClientURL})
	})
}

type otpEmailVerifyRequest struct {
	OTP   string `json:"otp"`
	Email string `json:"email"`
}

// handleSignInOTPEmailVerify serves POST /signin/otp/email/verify: the
// right unexpired code signs the user in once and verifies the email.
func (s *Server) handleSignInOTPEmailVerify(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.OTPEmailEnabled {
		return fail(errDisabledEndpoint)
	}
	var req otpEmailVerifyRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	email, err := normalizeEmail(req.Email)
	if err != nil {
		return err
	}
	if req.OTP == "" {
		return fail(errInvalidRequest)
	}
	if err := s.limit(r, "bruteforce", s.cfg.RateLimit.BruteForce, email); err != nil {
		return err
	}
	u, err := s.userByEmail(r.Context(), s.d.db, email)
	if err != nil && !errors.Is(err, errNoUser) {
		return err
	}
	hash := ""
	if u != nil && strings.HasPrefix(u.Ticket.String, otpTicketPrefix) && s.now().Before(u.TicketExpiresAt) && u.OTPAttempts < maxOTPAttempts {
		hash = strings.TrimPrefix(u.Ticket.String, otpTicketPrefix)
	}
	ok, err := s.hasher.matches(r.Context(), hash, req.OTP)
	if err != nil {
		return err
	}
	if !ok || !otpPattern.MatchString(req.OTP) {
		if u != nil {
			if _, err := s.d.db.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET otp_attempts = otp_attempts + 1 WHERE id = $1`), u.ID); err != nil {
				return internal(err)
			}
		}
		return fail(errInvalidTicket)
	}
	if u.Disabled {
		return fail(errDisabledUser)
	}
	var out sessionPayload
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET email_verified = true, ticket = NULL,
			ticket_expires_at = $1, otp_attempts = 0 WHERE id = $2 AND ticket = $3`), s.d.ts(s.now()), u.ID, u.Ticket.String)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail(errInvalidTicket)
		}
		u.EmailVerified = true
		out.Session, err = s.newSession(r.Context(), tx, u)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
