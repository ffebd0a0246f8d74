package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/graph"
	"github.com/notes-app/notes/views"
)

// errorKind is what a user sees for one kind of failure: a fixed text.
type errorKind struct {
	status  int
	title   string
	message string
}

// errorKinds maps sentinels to statuses and friendly texts, first match wins.
var errorKinds = []struct {
	err  error
	kind errorKind
}{
	{errCSRF, errorKind{http.StatusForbidden, "This page has expired", "For your safety the form was not sent. Reload the page and try again."}},
	{graph.ErrNotFound, errorKind{http.StatusNotFound, "Note not found", "This note does not exist, or it is not yours."}},
	{graph.ErrForbidden, errorKind{http.StatusForbidden, "Not allowed", "Your role may not do that."}},
	{auth.ErrForbidden, errorKind{http.StatusForbidden, "Not allowed", "Your account may not do that."}},
	{graph.ErrConflict, errorKind{http.StatusConflict, "Conflict", "That change clashes with existing data."}},
	{auth.ErrRateLimited, errorKind{http.StatusTooManyRequests, "Slow down", "Too many attempts. Wait a minute and try again."}},
	{graph.ErrUnavailable, errorKind{http.StatusServiceUnavailable, "Notes are unreachable", "We could not reach the notes service. Try again in a moment."}},
	{auth.ErrUnavailable, errorKind{http.StatusServiceUnavailable, "Sign-in is unreachable", "We could not reach the sign-in service. Try again in a moment."}},
	{context.DeadlineExceeded, errorKind{http.StatusServiceUnavailable, "Taking too long", "The service did not answer in time. Try again in a moment."}},
}

var (
	kindNotFound = errorKind{http.StatusNotFound, "Page not found", "There is nothing at this address."}
	kindInternal = errorKind{http.StatusInternalServerError, "Something went wrong", "An unexpected error happened on our side. Try again, and if it keeps happening tell us the reference below."}
	kindTooLarge = errorKind{http.StatusRequestEntityTooLarge, "Too large", "That is more than we accept in one go."}
	kindMethod   = errorKind{http.StatusMethodNotAllowed, "Not allowed", "That action is not available here."}
	kindBad      = errorKind{http.StatusBadRequest, "Bad request", "The request could not be understood."}
)

func classify(err error) errorKind {
	for _, k := range errorKinds {
		if errors.Is(err, k.err) {
			return k.kind
		}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return kindNotFound
		case http.StatusMethodNotAllowed:
			return kindMethod
		case http.StatusRequestEntityTooLarge:
			return kindTooLarge
		case http.StatusBadRequest:
			return kindBad
		case http.StatusForbidden, http.StatusUnauthorized:
			return errorKind{he.Code, "Not allowed", "You may not open this page."}
		}
	}
	return kindInternal
}

// handleError is the app's one error exit: it logs once, turns an expired
// session into a redirect to sign-in, answers htmx with a toast retargeted
// to the toast region, and everyone else with a friendly page.
func (a *app) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if errors.Is(err, auth.ErrUnauthenticated) || errors.Is(err, graph.ErrUnauthenticated) {
		a.log.Info("session rejected", "err", err, "request_id", requestID(c))
		s := a.session(c)
		s.SignOut()
		s.SetFlash("info", "Your session has ended. Please sign in again.")
		s.dirty = true
		_ = redirect(c, "/sign-in")
		return
	}
	k := classify(err)
	level := slog.LevelInfo
	switch {
	case k.status == http.StatusServiceUnavailable:
		// A dependency is down or slow; it logs its own failure, and an
		// outage would otherwise flood the log with one error per request.
		level = slog.LevelWarn
	case k.status >= 500:
		level = slog.LevelError
	}
	a.log.Log(c.Request().Context(), level, "request failed", "status", k.status, "err", err, "request_id", requestID(c))
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(k.status)
		return
	}
	if isHTMX(c) {
		h := c.Response().Header()
		h.Set("HX-Retarget", "#toasts")
		h.Set("HX-Reswap", "beforeend")
		toast := views.Toast(views.Flash{Kind: "error", Message: k.title + ". " + k.message})
		if rerr := a.render(c, k.status, k.title, toast, toast); rerr != nil {
			a.log.Error("render error toast", "err", rerr, "request_id", requestID(c))
			_ = c.NoContent(k.status)
		}
		return
	}
	props := views.ErrorProps{Status: k.status, Title: k.title, Message: k.message}
	if k.status >= 500 {
		props.RequestID = requestID(c)
	}
	if rerr := a.render(c, k.status, k.title, views.ErrorPage(props), nil); rerr != nil {
		a.log.Error("render error page", "err", rerr, "request_id", requestID(c))
		_ = c.String(k.status, k.title)
	}
}
