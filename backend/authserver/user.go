package authserver

import (
	"errors"
	"net/http"
)

// handleUser serves GET /user: the signed-in user, fresh from the
// database, with the roles of auth.user_roles.
func (s *Server) handleUser(w http.ResponseWriter, r *http.Request) error {
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
	if err := s.checkUser(u); err != nil {
		return err
	}
	if u.IsAnonymous {
		return fail(errForbiddenAnonymous)
	}
	writeJSON(w, http.StatusOK, u.toJSON(u.Roles))
	return nil
}
