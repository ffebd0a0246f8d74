package web

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/views"
)

// isHTMX reports whether htmx sent the request and wants a fragment (a
// history restore or a boosted request wants the whole page).
func isHTMX(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") != "true" && h.Get("HX-History-Restore-Request") != "true"
}

// hxTarget returns the id of the element an htmx request will swap.
func hxTarget(c echo.Context) string {
	if !isHTMX(c) {
		return ""
	}
	return c.Request().Header.Get("HX-Target")
}

// render renders into a buffer first, so a failed render sends nothing.
// HTMX requests get fragment (page when fragment is nil) plus any flash as
// an out-of-band toast; others get page inside the layout.
func (a *app) render(c echo.Context, status int, title string, page, fragment templ.Component) error {
	s := a.session(c)
	kind, msg := s.TakeFlash()
	if msg != "" {
		s.dirty = true
	}
	ctx := views.WithCSRF(c.Request().Context(), s.CSRF)
	var buf bytes.Buffer
	if isHTMX(c) {
		if fragment == nil {
			fragment = page
		}
		if err := fragment.Render(ctx, &buf); err != nil {
			return fmt.Errorf("render fragment: %w", err)
		}
		if msg != "" {
			if err := views.ToastOOB(views.Flash{Kind: kind, Message: msg}).Render(ctx, &buf); err != nil {
				return fmt.Errorf("render toast: %w", err)
			}
		}
	} else {
		l := a.layoutProps(c, title)
		l.Flash = views.Flash{Kind: kind, Message: msg}
		if err := views.Layout(l).Render(templ.WithChildren(ctx, page), &buf); err != nil {
			return fmt.Errorf("render page: %w", err)
		}
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "HX-Request, HX-Target")
	return c.HTMLBlob(status, buf.Bytes())
}

func (a *app) layoutProps(c echo.Context, title string) views.LayoutProps {
	l := views.LayoutProps{Title: title, DevInbox: a.inboxAllowed(c)}
	if s := a.session(c); s.SignedIn() {
		l.User = &views.UserBadge{Name: s.DisplayName, Role: s.Role, Roles: s.Roles, Path: c.Request().URL.Path}
	}
	return l
}

// redirect sends the browser to path: HX-Redirect for htmx, 303 otherwise.
func redirect(c echo.Context, path string) error {
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", path)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, path)
}
