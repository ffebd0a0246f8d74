package web

import (
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
)

// errCSRF is a missing or wrong CSRF token, or a cross-origin request.
var errCSRF = errors.New("csrf check failed")

// logRequests writes one line per request: method, route, status, latency
// and request id. It never logs query strings, cookies or bodies.
func (a *app) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		a.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
			slog.String("method", c.Request().Method),
			slog.String("route", route),
			slog.Int("status", c.Response().Status),
			slog.Duration("latency", time.Since(start)),
			slog.String("request_id", requestID(c)),
		)
		return nil
	}
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// csp allows only the app's own scripts and styles: no inline script, no
// inline style, no eval. Images may come from https for Markdown notes.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the CSP and its companions on every response.
func securityHeaders(https bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if https {
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			return next(c)
		}
	}
}

// crossOriginCheck rejects non-safe cross-origin browser requests with Go's
// http.CrossOriginProtection (Sec-Fetch-Site, or Origin against Host). The
// public URL is trusted too, for proxies that rewrite Host.
func crossOriginCheck(public string) echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	_ = cop.AddTrustedOrigin(public)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return errors.Join(errCSRF, err)
			}
			return next(c)
		}
	}
}

// loadSession puts the cookie's state in the request and saves it, before
// the response is written, whenever a handler changed it.
func (a *app) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a.session(c)
		return next(c)
	}
}

// checkCSRF requires the session's token in the _csrf form field or the
// X-CSRF-Token header on every non-safe request.
func (a *app) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		s := a.session(c)
		got := c.Request().Header.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("_csrf")
		}
		if s.csrfFresh || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) != 1 {
			return errCSRF
		}
		return next(c)
	}
}

// requireUser lets only signed-in users through: it refreshes the access
// token when it is about to expire and puts the user and their GraphQL
// client in the request. A dead session redirects to sign-in with a message.
func (a *app) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := a.session(c)
		if !s.SignedIn() {
			s.SetFlash("info", "Please sign in to see your notes.")
			s.dirty = true
			return redirect(c, "/sign-in")
		}
		changed, err := a.auth.Ensure(c.Request().Context(), &s.State, a.now())
		if changed {
			s.dirty = true
		}
		if errors.Is(err, auth.ErrSessionExpired) {
			if a.askResend(c, s, err) {
				return nil
			}
			s.SetFlash("info", "Your session has ended. Please sign in again.")
			return redirect(c, "/sign-in")
		}
		if err != nil {
			return err
		}
		c.Set(userKey, &user{
			ID:    s.UserID,
			Email: s.Email,
			Token: s.AccessToken,
			Name:  s.DisplayName,
			Role:  s.Role,
			Graph: a.graph.WithToken(s.AccessToken, s.Role),
		})
		return next(c)
	}
}
