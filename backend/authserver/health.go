package authserver

import "net/http"

// handleHealthz serves GET and HEAD /healthz with "OK".
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeOK(w)
}

// handleVersion serves GET /version.
func (s *Server) handleVersion(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"version": Version})
}

// handleJWKS serves GET /.well-known/jwks.json: the RSA public key for
// RS* secrets, {"keys":[]} for HMAC ones.
func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(s.jwt.JWKS())
}
