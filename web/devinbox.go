package web

import (
	"crypto/subtle"
	"net"
	"net/http"
	"regexp"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/views"
)

var linkPattern = regexp.MustCompile(`https?://[^\s"'<>]+`)

// inboxAllowed opens the dev inbox to loopback clients (c.RealIP(): the
// socket's peer unless trusted proxies are configured; a request that came
// through a proxy is not one, whatever its headers claim) and to whoever
// presents the admin secret in X-Hasura-Admin-Secret.
func (a *app) inboxAllowed(c echo.Context) bool {
	if !a.devInbox {
		return false
	}
	if got := c.Request().Header.Get("X-Hasura-Admin-Secret"); got != "" {
		return subtle.ConstantTimeCompare([]byte(got), []byte(a.secret)) == 1
	}
	h := c.Request().Header
	if h.Get("X-Forwarded-For") != "" || h.Get("X-Real-Ip") != "" || h.Get("Forwarded") != "" {
		return false // through a proxy: the socket's loopback address says nothing
	}
	ip := net.ParseIP(c.RealIP())
	return ip != nil && ip.IsLoopback()
}

// handleDevInbox answers GET /dev/inbox: the auth service's development
// outbox, newest first. It does not exist in remote mode or with SMTP.
func (a *app) handleDevInbox(c echo.Context) error {
	if !a.inboxAllowed(c) {
		return echo.ErrNotFound
	}
	msgs, err := a.auth.DevOutbox(c.Request().Context(), a.secret)
	if err != nil {
		return err
	}
	var p views.DevInboxProps
	for _, m := range msgs {
		links := linkPattern.FindAllString(m.Text, -1)
		if m.Link != "" && !slices.Contains(links, m.Link) {
			links = append([]string{m.Link}, links...)
		}
		kind := m.Kind
		if kind == "" {
			kind = "email"
		}
		p.Messages = append(p.Messages, views.InboxMessage{
			Kind: kind, To: m.To, Subject: m.Subject, Body: m.Text, Links: links, When: humanTime(m.CreatedAt),
		})
	}
	return a.render(c, http.StatusOK, "Development inbox", views.DevInboxPage(p), nil)
}
