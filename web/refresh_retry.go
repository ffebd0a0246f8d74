package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
)

const (
	// resendParam marks a request the app asked the browser to resend
	// after its refresh token was refused; a second refusal signs it out.
	resendParam = "_resend"
	// resendWait gives the response that rotated the refresh token time to
	// reach the browser before it resends.
	resendWait = 300 * time.Millisecond
)

// askResend answers, once per request, a request whose refresh token the
// auth service refused after its access token had expired, with a 307 to
// the same URL marked with resendParam (a browser resends the method and
// body; so does htmx's XHR).
//
// Two requests of one browser (two tabs, parallel htmx requests) that
// reach two instances of the app at the same moment both try to refresh
// the same token: one rotates it, the other is refused. Signing the loser
// out would also overwrite the winner's new cookie in the browser, so the
// loser leaves the cookie alone and asks for a resend, which carries the
// winner's cookie by then. Within one instance, auth.Client shares the
// refresh instead. A refresh token that is really dead (expired, revoked)
// is refused again on the resend, and the session ends then.
func (a *app) askResend(c echo.Context, s *reqSession, err error) bool {
	if errors.Is(err, auth.ErrDisabled) || errors.Is(err, auth.ErrUnverified) {
		return false
	}
	u := *c.Request().URL
	q := u.Query()
	if q.Has(resendParam) {
		return false
	}
	q.Set(resendParam, "1")
	u.RawQuery = q.Encode()
	s.dirty = false // keep the browser's cookie: it may be newer than ours
	t := time.NewTimer(resendWait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.Request().Context().Done():
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	_ = c.Redirect(http.StatusTemporaryRedirect, u.RequestURI())
	return true
}
