package main

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitUntilPast blocks until the clock has passed t. The app and its
// embedded auth server run in this process, so this is the server's clock.
func waitUntilPast(t time.Time) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !time.Now().After(t) {
		<-tick.C
	}
}

// TestBrowserSessionSurvivesAccessTokenExpiry signs in with access tokens
// that live two seconds, lets one expire, and keeps working: the app
// refreshes the session with the refresh token instead of signing out.
func TestBrowserSessionSurvivesAccessTokenExpiry(t *testing.T) {
	t.Parallel()
	const lifetime = 2 * time.Second
	inst := startInstance(t, map[string]string{"AUTH_ACCESS_TOKEN_EXPIRES_IN": "2"})
	b := mustTab(t, inst.URL)
	b.signUp("kim@example.com")
	b.createNote("Before expiry", "", 1)

	// The last request issued the newest access token; JWT times are whole
	// seconds, so one more second covers the rounding.
	waitUntilPast(time.Now().Add(lifetime + time.Second))
	b.markDocument()
	b.createNote("After expiry", "", 2)
	b.mustSameDocument("an HTMX create after expiry")

	waitUntilPast(time.Now().Add(lifetime + time.Second))
	b.do(
		chromedp.Reload(),
		chromedp.WaitVisible(tid("notes-page")),
		waitCount(2),
		chromedp.WaitVisible(titlesAre("After expiry", "Before expiry")),
		chromedp.WaitVisible(withText("user-role", "user")),
	)

	waitUntilPast(time.Now().Add(lifetime + time.Second))
	b.do(
		chromedp.Click(inCard("Before expiry", "note-title")),
		chromedp.WaitVisible(withText("note-title", "Before expiry")),
	)
	b.signOut()
}

// TestBrowserDeadSessionSignsOutWithMessage lets the refresh token die too
// (it lives eight seconds, renewed by each request; long enough for a
// slow runner to sign up): the next action, an
// HTMX post or a plain page load, lands on sign-in with a message, never on
// an error page, and signing in again finds the notes.
func TestBrowserDeadSessionSignsOutWithMessage(t *testing.T) {
	t.Parallel()
	const refreshLifetime = 8 * time.Second
	inst := startInstance(t, map[string]string{
		"AUTH_ACCESS_TOKEN_EXPIRES_IN":  "1",
		"AUTH_REFRESH_TOKEN_EXPIRES_IN": "8",
	})
	b := mustTab(t, inst.URL)
	const email = "sam@example.com"
	b.signUp(email)
	b.createNote("Kept", "", 1)

	waitUntilPast(time.Now().Add(refreshLifetime + time.Second))
	b.do(
		typeInto(in("note-create-form", "input-title"), "Lost"),
		chromedp.Click(in("note-create-form", "note-save")),
		chromedp.WaitVisible(tid("sign-in-page")),
		chromedp.WaitVisible(containingText("toast", "Your session has ended.")),
	)

	b.signIn(email)
	b.do(waitCount(1), chromedp.WaitVisible(titlesAre("Kept")))

	waitUntilPast(time.Now().Add(refreshLifetime + time.Second))
	b.do(
		chromedp.Reload(),
		chromedp.WaitVisible(tid("sign-in-page")),
		chromedp.WaitVisible(containingText("toast", "Your session has ended.")),
	)
}

// TestBrowserTokenPageAndSecondSession signs one user in from two tabs
// (two sessions): a note made in one shows in the other after a reload.
// The header's role link opens the token page, whose expiry counts down.
func TestBrowserTokenPageAndSecondSession(t *testing.T) {
	t.Parallel()
	inst := startInstance(t, nil)
	b := mustTab(t, inst.URL)
	const email = "tove@example.com"
	b.signUp(email)

	other := mustTab(t, inst.URL)
	other.signIn(email)
	other.createNote("From the other session", "", 1)
	b.do(
		chromedp.Reload(),
		waitCount(1),
		chromedp.WaitVisible(titlesAre("From the other session")),
		chromedp.Click(tid("nav-token")),
		chromedp.WaitVisible(tid("token-page")),
		waitJS(`+document.querySelector('[data-testid="token-expires-in"]').textContent < +document.querySelector('[data-testid="token-expires-in"]').getAttribute('data-start')`),
	)
	b.signOut()
	other.signOut()
}
