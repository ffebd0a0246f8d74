package authserver

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"regexp"
)

// maxOTPAttempts is how many wrong codes a user may try before having to
// ask for a new one (auth.users.otp_attempts).
const maxOTPAttempts = 5

type passwordlessSMSOTPRequest struct {
	PhoneNumber string `json:"phoneNumber"`
	OTP         string `json:"otp"`
}

var otpPattern = regexp.MustCompile(`^[0-9]{6}$`)

// handleSignInPasswordlessSMSOTP serves POST /signin/passwordless/sms/otp:
// a correct, unexpired code signs the user in once; wrong codes count
// towards otp-too-many-attempts.
func (s *Server) handleSignInPasswordlessSMSOTP(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.SMSPasswordlessEnabled {
		return fail(errDisabledEndpoint)
	}
	var req passwordlessSMSOTPRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	phone, err := normalizePhone(req.PhoneNumber)
	if err != nil {
		return err
	}
	if req.OTP == "" {
		return fail(errInvalidRequest)
	}
	if err := s.limit(r, "bruteforce", s.cfg.RateLimit.BruteForce, phone); err != nil {
		return err
	}
	u, err := s.userByPhone(r.Context(), s.d.db, phone)
	if errors.Is(err, errNoUser) {
		return fail(errInvalidRequest)
	}
	if err != nil {
		return err
	}
	if u.OTPAttempts >= maxOTPAttempts {
		return fail(errOTPTooManyAttempts)
	}
	hash := ""
	if u.OTPHash.Valid && u.OTPMethodLastUsed.String == "sms" && s.now().Before(u.OTPHashExpiresAt) {
		hash = u.OTPHash.String
	}
	ok, err := s.hasher.matches(r.Context(), hash, req.OTP)
	if err != nil {
		return err
	}
	if !ok || !otpPattern.MatchString(req.OTP) {
		if _, err := s.d.db.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET otp_attempts = otp_attempts + 1 WHERE id = $1`), u.ID); err != nil {
			return internal(err)
		}
		return fail(errInvalidOTP)
	}
	if u.Disabled {
		return fail(errDisabledUser)
	}
	var out any
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET phone_number_verified = true, otp_hash = NULL,
			otp_hash_expires_at = $1, otp_attempts = 0 WHERE id = $2 AND otp_hash = $3`),
			s.d.ts(s.now()), u.ID, u.OTPHash.String)
		if err != nil {
			return fmt.Errorf("consume otp: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail(errInvalidOTP)
		}
		u.PhoneNumberVerified = true
		if u.ActiveMFAType.String == "totp" {
			out, err = s.mfaChallenge(r, tx, u)
			return err
		}
		sess, err := s.newSession(r.Context(), tx, u)
		out = sessionPayload{Session: sess}
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
