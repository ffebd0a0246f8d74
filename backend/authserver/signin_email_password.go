package authserver

import (
	"database/sql"
	"errors"
	"net/http"
)

type signInEmailPasswordRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// handleSignInEmailPassword serves POST /signin/email-password. An unknown
// email and a wrong password give the same invalid-email-password, at the
// same bcrypt cost.
func (s *Server) handleSignInEmailPassword(w http.ResponseWriter, r *http.Request) error {
	var req signInEmailPasswordRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	email, err := normalizeEmail(req.Email)
	if err != nil {
		return err
	}
	if req.Password == "" || len(req.Password) > 4*maxPasswordLength {
		return fail(errInvalidRequest)
	}
	if err := s.limit(r, "bruteforce", s.cfg.RateLimit.BruteForce, email); err != nil {
		return err
	}
	u, err := s.userByEmail(r.Context(), s.d.db, email)
	if errors.Is(err, errNoUser) || (err == nil && !s.emailAllowed(email)) {
		if _, err := s.hasher.matches(r.Context(), "", req.Password); err != nil {
			return err
		}
		return fail(errInvalidEmailPassword)
	}
	if err != nil {
		return err
	}
	if err := s.checkUser(u); err != nil {
		return err
	}
	if u.IsAnonymous {
		return fail(errForbiddenAnonymous)
	}
	ok, err := s.hasher.matches(r.Context(), u.PasswordHash.String, req.Password)
	if err != nil {
		return err
	}
	if !ok {
		return fail(errInvalidEmailPassword)
	}
	if u.ActiveMFAType.String == "totp" {
		challenge, err := s.mfaChallenge(r, s.d.db, u)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, challenge)
		return nil
	}
	var out sessionPayload
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		out.Session, err = s.newSession(r.Context(), tx, u)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
