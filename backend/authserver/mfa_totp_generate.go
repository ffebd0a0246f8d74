package authserver

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"

	qrcode "github.com/skip2/go-qrcode"
)

type totpGenerateResponse struct {
	ImageURL   string `json:"imageUrl"`
	TOTPSecret string `json:"totpSecret"`
}

// handleTOTPGenerate serves GET /mfa/totp/generate (Bearer): a new TOTP
// secret for the user, and its QR code as a data: URL. It becomes the
// second factor once POST /user/mfa confirms a code.
func (s *Server) handleTOTPGenerate(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.MFAEnabled {
		return fail(errDisabledEndpoint)
	}
	userID, err := s.bearer(r)
	if err != nil {
		writeUnauthorized(w, err)
		return nil
	}
	u, err := s.userByID(r.Context(), s.d.db, userID)
	if errors.Is(err, errNoUser) {
		writeUnauthorized(w, err)
		return nil
	}
	if err != nil {
		return err
	}
	if u.IsAnonymous {
		return fail(errForbiddenAnonymous)
	}
	if u.ActiveMFAType.String == "totp" {
		return fail(errTOTPAlreadyActive)
	}
	secret, err := newTOTPSecret()
	if err != nil {
		return internal(err)
	}
	account := u.Email.String
	if account == "" {
		account = u.PhoneNumber.String
	}
	if account == "" {
		account = u.ID
	}
	png, err := qrcode.Encode(totpURL(s.cfg.MFATOTPIssuer, account, secret), qrcode.Medium, 256)
	if err != nil {
		return internal(err)
	}
	if _, err := s.d.db.ExecContext(r.Context(), s.d.q(`UPDATE {users} SET totp_secret = $1 WHERE id = $2`), secret, u.ID); err != nil {
		return fmt.Errorf("store totp secret: %w", err)
	}
	writeJSON(w, http.StatusOK, totpGenerateResponse{
		ImageURL:   "data:image/png;base64," + base64.StdEncoding.EncodeToString(png),
		TOTPSecret: secret,
	})
	return nil
}
