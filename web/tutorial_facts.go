package web

import (
	"slices"

	"github.com/labstack/echo/v4"
)

// Tutorial facts the session remembers: the backend cannot tell them.
const (
	factAnonRefused = "anon-refused"
	factDecoded     = "decoded"
)

// tutorialFact records fact in the session once.
func (a *app) tutorialFact(c echo.Context, fact string) {
	s := a.session(c)
	if !slices.Contains(s.Tutorial, fact) {
		s.Tutorial = append(s.Tutorial, fact)
		s.dirty = true
	}
}
