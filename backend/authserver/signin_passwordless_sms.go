package authserver

import (
	"crypto/rand"
	"database/sql"
	"fmt"
	"math/big"
	"net/http"
	"time"
)

// smsOTPTTL is how long an SMS code stays valid (contract §5).
const smsOTPTTL = 5 * time.Minute

type passwordlessSMSRequest struct {
	PhoneNumber string         `json:"phoneNumber"`
	Options     *signUpOptions `json:"options"`
}

// handleSignInPasswordlessSMS serves POST /signin/passwordless/sms: it
// texts a 6-digit code, creating the user first when the number is new.
func (s *Server) handleSignInPasswordlessSMS(w http.ResponseWriter, r *http.Request) error {
	return s.passwordlessSMS(w, r, false)
}

// handleSignUpPasswordlessSMS serves POST /signup/passwordless/sms, the
// explicit sign-up twin: an existing user gets a silent "OK".
func (s *Server) handleSignUpPasswordlessSMS(w http.ResponseWriter, r *http.Request) error {
	return s.passwordlessSMS(w, r, true)
}

func (s *Server) passwordlessSMS(w http.ResponseWriter, r *http.Request, signup bool) error {
	if !s.cfg.SMSPasswordlessEnabled {
		return fail(errDisabledEndpoint)
	}
	var req passwordlessSMSRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	phone, err := normalizePhone(req.PhoneNumber)
	if err != nil {
		return err
	}
	if err := s.limit(r, "sms", s.cfg.RateLimit.SMS, phone); err != nil {
		return err
	}
	prof, err := s.resolve(req.Options, phone)
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
			return s.userByPhone(r.Context(), tx, phone)
		}, newUser{
			PhoneNumber: phone, DisplayName: prof.DisplayName, Locale: prof.Locale,
			DefaultRole: prof.DefaultRole, Roles: prof.Roles, Metadata: prof.Metadata,
		}, signup)
		if !ok || err != nil {
			return nil, err
		}
		_, err = tx.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET otp_hash = $1, otp_hash_expires_at = $2,
			otp_method_last_used = 'sms', otp_attempts = 0 WHERE id = $3`),
			hash, s.d.ts(s.now().Add(smsOTPTTL)), u.ID)
		if err != nil {
			return nil, fmt.Errorf("store otp: %w", err)
		}
		return &message{Kind: "sms", To: phone, Subject: "Your sign-in code",
			Text: "Your Notes code is " + code + ". It expires in 5 minutes."}, nil
	})
}

// otpCode returns a uniformly random 6-digit code.
func otpCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}
