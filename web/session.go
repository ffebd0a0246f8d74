package web

import (
	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/graph"
)

const (
	sessionKey = "notes.session"
	userKey    = "notes.user"
)

// reqSession is the cookie state of one request; dirty marks it for saving.
type reqSession struct {
	auth.State
	dirty     bool
	csrfFresh bool
}

// user is the signed-in user of a request, with a GraphQL client that
// acts for them and their (fresh) access token for the auth API.
type user struct {
	ID    string
	Email string
	Token string
	Name  string
	Role  string
	Graph *graph.Client
}

// session returns the request's session state, loading the cookie on first
// use. The cookie is written just before the response if the state changed.
func (a *app) session(c echo.Context) *reqSession {
	if s, ok := c.Get(sessionKey).(*reqSession); ok {
		return s
	}
	s := &reqSession{State: a.store.Load(c.Request())}
	if s.CSRF == "" {
		s.CSRF = auth.NewToken()
		s.dirty, s.csrfFresh = true, true
	}
	c.Set(sessionKey, s)
	c.Response().Before(func() {
		if !s.dirty {
			return
		}
		if err := a.store.Save(c.Response(), c.Request(), s.State); err != nil {
			a.log.Error("save session", "err", err, "request_id", requestID(c))
		}
	})
	return s
}

// flash sets the message the next rendered page shows.
func (a *app) flash(c echo.Context, kind, msg string) {
	s := a.session(c)
	s.SetFlash(kind, msg)
	s.dirty = true
}

// currentUser returns the user requireUser put in the request.
func currentUser(c echo.Context) *user {
	u, _ := c.Get(userKey).(*user)
	return u
}
