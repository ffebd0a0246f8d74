package web_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/web"
)

// TestRefusedRefreshAsksForOneResend plays two requests of one browser
// that reach two instances of the app after the access token expired:
// instance a rotates the refresh token, instance b is refused. b must not
// sign the browser out (its cookie would overwrite a's new one); it asks
// for one resend, which carries a's cookie and succeeds. A refresh token
// refused again on the resend ends the session.
func TestRefusedRefreshAsksForOneResend(t *testing.T) {
	t.Parallel()
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	var opts web.Options
	b, be := mustApp(t, nil, func(o *web.Options) { o.Now = now; opts = *o })
	// Instance b: the same keys and backend, its own auth client.
	opts.Auth = auth.New(be.URL+"/v1/auth", nil)
	appB, err := web.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srvB := httptest.NewServer(appB)
	t.Cleanup(srvB.Close)

	b.signIn("ann")
	old := &http.Cookie{Name: auth.CookieName, Value: b.cookie()}
	clock.Add(int64(20 * time.Minute)) // past the access token's 15 minutes

	res := send(t, b.base, "/notes", old)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("instance a: status %d, want 200", res.StatusCode)
	}
	rotated := cookieOf(res, auth.CookieName)
	if rotated == nil || rotated.Value == old.Value {
		t.Fatal("instance a did not save the refreshed session")
	}

	res = send(t, srvB.URL, "/notes?page=1", old)
	resend := res.Header.Get("Location")
	if res.StatusCode != http.StatusTemporaryRedirect || resend != "/notes?_resend=1&page=1" {
		t.Fatalf("instance b: status %d to %q, want 307 to the same URL marked as a resend", res.StatusCode, resend)
	}
	if cookieOf(res, auth.CookieName) != nil {
		t.Fatal("instance b overwrote the session cookie while asking for a resend")
	}

	// The resend carries the cookie instance a set meanwhile.
	res = send(t, srvB.URL, resend, rotated)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("resend with the rotated cookie: status %d, want 200", res.StatusCode)
	}

	// A resend refused again ends the session.
	res = send(t, srvB.URL, resend, old)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in" {
		t.Fatalf("a resend refused again: status %d to %q, want 303 to /sign-in", res.StatusCode, res.Header.Get("Location"))
	}
	if c := cookieOf(res, auth.CookieName); c == nil {
		t.Fatal("the ended session was not saved")
	}
}

// send GETs base+path with exactly the given cookies, without following
// redirects.
func send(t *testing.T, base, path string, cookies ...*http.Cookie) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// cookieOf returns the cookie res sets under name, or nil.
func cookieOf(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}
