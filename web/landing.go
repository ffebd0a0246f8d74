package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/views"
)

// handleLanding answers GET /: the notes for a signed-in user, a short
// welcome with links to sign in, the public notes and the tutorial
// otherwise.
func (a *app) handleLanding(c echo.Context) error {
	if a.session(c).SignedIn() {
		return redirect(c, "/notes")
	}
	return a.render(c, http.StatusOK, "", views.LandingPage(views.LandingProps{Admin: a.standalone && a.secret != ""}), nil)
}
