package authserver

import (
	"errors"
	"fmt"
	"net/http"
)

type userMFARequest struct {
	Code          string  `json:"code"`
	ActiveMfaType *string `json:"activeMfaType"`
}

// handleUserMFA serves POST /user/mfa (Bearer): activeMfaType "totp" with
// a current code switches TOTP on; "" (or none) with a current code
// switches it off and forgets the secret.
func (s *Server) handleUserMFA(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.MFAEnabled {
		return fail(errDisabledEndpoint)
	}
	userID, err := s.bearer(r)
	if err != nil {
		writeUnauthorized(w, err)
		return nil
	}
	var req userMFARequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if err := s.limit(r, "bruteforce", s.cfg.RateLimit.BruteForce, userID); err != nil {
		return err
	}
	u, err := s.userByID(r.Context(), s.d.db, userID)
	if errors.Is(err, errNoUser) {
		writeUnauthorized(w, err)
		return nil
	}
	if err != nil {
		return err
	}
	mfaType := ""
	if req.ActiveMfaType != nil {
		mfaType = *req.ActiveMfaType
	}
	switch mfaType {
	case "totp":
		if u.ActiveMFAType.String == "totp" {
			return fail(errTOTPAlreadyActive)
		}
		if !u.TOTPSecret.Valid {
			return fail(errNoTOTPSecret)
		}
		if !totpValid(u.TOTPSecret.String, req.Code, s.now()) {
			return fail(errInvalidTOTP)
		}
		_, err = s.d.db.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET active_mfa_type = 'totp' WHERE id = $1`), u.ID)
	case "":
		if u.ActiveMFAType.String != "totp" {
			return fail(errDisabledMFATOTP)
		}
		if !totpValid(u.TOTPSecret.String, req.Code, s.now()) {
			return fail(errInvalidTOTP)
		}
		_, err = s.d.db.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET active_mfa_type = NULL, totp_secret = NULL WHERE id = $1`), u.ID)
	default:
		return fail(errMFATypeNotFound)
	}
	if err != nil {
		return fmt.Errorf("update mfa: %w", err)
	}
	writeOK(w)
	return nil
}
