package authserver

import (
	"database/sql"
	"net/http"
)

type tokenExchangeRequest struct {
	Code         string `json:"code"`
	CodeVerifier string `json:"codeVerifier"`
}

// handleTokenExchange serves POST /token/exchange: a PKCE code from a
// redirect plus the verifier whose S256 challenge started the flow gives a
// session, once.
func (s *Server) handleTokenExchange(w http.ResponseWriter, r *http.Request) error {
	var req tokenExchangeRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if req.Code == "" || len(req.CodeVerifier) < 43 || len(req.CodeVerifier) > 128 {
		return fail(errInvalidRequest)
	}
	if err := s.limit(r, "bruteforce", s.cfg.RateLimit.BruteForce, ""); err != nil {
		return err
	}
	var out sessionPayload
	// The consumed code must stay consumed even when the verifier is
	// wrong, so the lookup commits on its own.
	var userID string
	err := s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		var err error
		userID, err = s.redeemCode(r.Context(), tx, req.Code, req.CodeVerifier)
		if _, ok := err.(*apiError); ok {
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	if userID == "" {
		return fail(errInvalidRequest)
	}
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		u, err := s.userByID(r.Context(), tx, userID)
		if err != nil {
			return fail(errInvalidRequest)
		}
		if err := s.checkUser(u); err != nil {
			return err
		}
		out.Session, err = s.newSession(r.Context(), tx, u)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
