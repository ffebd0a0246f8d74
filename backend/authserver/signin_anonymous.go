package authserver

import (
	"database/sql"
	"encoding/json"
	"net/http"
)

type signInAnonymousRequest struct {
	DisplayName string          `json:"displayName"`
	Locale      string          `json:"locale"`
	Metadata    json.RawMessage `json:"metadata"`
}

// handleSignInAnonymous serves POST /signin/anonymous: a new anonymous
// user (role anonymous) and its session.
func (s *Server) handleSignInAnonymous(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.AnonymousUsersEnabled {
		return fail(errDisabledEndpoint)
	}
	if s.cfg.DisableSignup {
		return fail(errSignupDisabled)
	}
	var req signInAnonymousRequest
	if err := decodeJSON(w, r, &req, true); err != nil {
		return err
	}
	if err := s.limit(r, "signups", s.cfg.RateLimit.Signups, ""); err != nil {
		return err
	}
	prof, err := s.resolveAnonymous(&signUpOptions{DisplayName: req.DisplayName, Locale: req.Locale, Metadata: req.Metadata})
	if err != nil {
		return err
	}
	var out sessionPayload
	err = s.d.inTx(r.Context(), func(tx *sql.Tx) error {
		u, err := s.createUser(r.Context(), tx, newUser{
			DisplayName: prof.DisplayName, Locale: prof.Locale, DefaultRole: "anonymous",
			Roles: []string{"anonymous"}, IsAnonymous: true, Metadata: prof.Metadata,
		})
		if err != nil {
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

// resolveAnonymous checks the display name, locale and metadata of an
// anonymous sign-in; roles are fixed to anonymous.
func (s *Server) resolveAnonymous(o *signUpOptions) (profile, error) {
	o.AllowedRoles, o.DefaultRole = []string{s.cfg.DefaultRole}, s.cfg.DefaultRole
	return s.resolve(o, "Anonymous User")
}
