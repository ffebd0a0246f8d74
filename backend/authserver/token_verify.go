package authserver

import "net/http"

type tokenVerifyRequest struct {
	Token string `json:"token"`
}

// handleTokenVerify serves POST /token/verify: "OK" when the access token
// in the body (or the Authorization header) has a valid signature and has
// not expired.
func (s *Server) handleTokenVerify(w http.ResponseWriter, r *http.Request) error {
	var req tokenVerifyRequest
	if err := decodeJSON(w, r, &req, true); err != nil {
		return err
	}
	var err error
	if req.Token != "" {
		_, err = s.verifyAccessToken(req.Token)
	} else {
		_, err = s.bearer(r)
	}
	if err != nil {
		writeUnauthorized(w, err)
		return nil
	}
	writeOK(w)
	return nil
}
