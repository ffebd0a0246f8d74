package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
)

// handleRoleSwitch answers POST /role: the signed-in user acts as another
// of their allowed roles from now on; GraphQL calls send it as
// x-hasura-role. A role outside the token's allowed roles is refused (the
// engine would refuse it too).
func (a *app) handleRoleSwitch(c echo.Context) error {
	s := a.session(c)
	role := c.FormValue("role")
	if !slices.Contains(s.Roles, role) {
		return echo.NewHTTPError(http.StatusForbidden, "role not allowed")
	}
	s.Role = role
	s.SetFlash("success", "You now act as "+role+".")
	s.dirty = true
	back := c.FormValue("back")
	if !safeBack(back) {
		back = "/notes"
	}
	return redirect(c, back)
}

// safeBack reports whether p is a local path to send the browser back to.
func safeBack(p string) bool {
	return len(p) > 0 && p[0] == '/' && (len(p) == 1 || (p[1] != '/' && p[1] != '\\'))
}

// readOnly reports whether u acts as a role that may read notes but not
// write them: every role but user (the moderator; the metadata grants the
// others nothing on notes). The engine refuses writes anyway.
func readOnly(u *user) bool { return u.Role != "" && u.Role != "user" }
