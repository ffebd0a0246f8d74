package main

import (
	"net"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// closedURL returns the URL of a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

// TestBrowserRemoteMode runs the app in remote mode against a second
// instance serving only the backend, as it would run against a real Nhost
// project: sign up, write a note, reload, sign out, sign in again.
func TestBrowserRemoteMode(t *testing.T) {
	t.Parallel()
	appURL := closedURL(t)
	be := startInstance(t, map[string]string{
		"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false",
		"AUTH_CLIENT_URL": appURL,
	}, "backend")
	inst := startInstance(t, map[string]string{
		"NOTES_ADDR":        strings.TrimPrefix(appURL, "http://"),
		"NHOST_AUTH_URL":    be.URL + "/v1/auth",
		"NHOST_GRAPHQL_URL": be.URL + "/v1/graphql",
	})
	b := mustTab(t, inst.URL)
	const email = "remote@example.com"
	b.do(
		b.open("/sign-up"),
		typeInto(in("sign-up-form", "input-email"), email),
		typeInto(in("sign-up-form", "input-password"), testPassword),
		chromedp.Click(tid("sign-up-submit")),
		chromedp.WaitVisible(tid("notes-page")),
		waitCount(0),
	)
	if n := mustRun(b, chromedp.Nodes(tid("nav-inbox"), chromedp.AtLeast(0))); len(n) != 0 {
		t.Error("remote mode links to a dev inbox")
	}
	b.createNote("Stored in the backend", "Over HTTP.", 1)
	b.do(chromedp.Reload(), waitCount(1))
	b.signOut()
	b.signIn(email)
	b.do(waitCount(1), chromedp.WaitVisible(titlesAre("Stored in the backend")))
}
