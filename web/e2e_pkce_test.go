package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/web"
)

// mustQuery returns the query of an app path.
func mustQuery(t *testing.T, path string) url.Values {
	t.Helper()
	u, err := url.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// mustRefused checks that a callback sent the browser to sign-in with a
// toast holding msg, and that it is not signed in.
func (b *browser) mustRefused(r response, msg string) {
	b.t.Helper()
	mustStatus(b.t, r, http.StatusSeeOther)
	mustHeader(b.t, r, "Location", "/sign-in")
	page := b.get("/sign-in")
	mustTestID(b.t, page, "sign-in-page", "toast")
	if !strings.Contains(page.body, msg) {
		b.t.Fatalf("sign-in page without %q:\n%.3000s", msg, page.body)
	}
	mustStatus(b.t, b.get("/notes"), http.StatusSeeOther)
}

// TestLoginCSRFRefused: a sign-in hand-off made for one browser signs no
// other browser in, whether it carries a PKCE code or a refresh token.
func TestLoginCSRFRefused(t *testing.T) {
	t.Parallel()
	victim, be := mustApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}, nil)
	be.mustUser("mallory@example.com", testPassword)
	attacker := victim.fork()
	mustStatus(t, attacker.post("/sign-in/magic-link", url.Values{"email": {"mallory@example.com"}}), http.StatusOK)
	lure := attacker.followEmailLink() // the attacker's own link, sent to the victim
	if q := mustQuery(t, lure); q.Get("code") == "" || q.Get("flow") == "" {
		t.Fatalf("hand-off = %q", lure)
	}

	t.Run("a code this browser did not ask for", func(t *testing.T) {
		victim.mustRefused(victim.get(lure), "asked for in another browser")
	})
	t.Run("a code that does not match this browser's verifier", func(t *testing.T) {
		mustStatus(t, victim.post("/sign-in/magic-link", url.Values{"email": {"victim@example.com"}}), http.StatusOK)
		own := mustQuery(t, victim.followEmailLink())
		forged := "/auth/callback?" + url.Values{"flow": {own.Get("flow")}, "code": {mustQuery(t, lure).Get("code")}, "type": {"passwordlessEmail"}}.Encode()
		victim.mustRefused(victim.get(forged), "expired or was already used")
	})
	t.Run("a refresh token", func(t *testing.T) {
		rt := be.mustSession("mallory@example.com", testPassword).RefreshToken
		victim.mustRefused(victim.get("/auth/callback?refreshToken="+rt+"&type=passwordlessEmail"), "asked for in another browser")
		if st := be.call("POST", "/v1/auth/token", "", map[string]string{"refreshToken": rt}, nil); st != http.StatusUnauthorized {
			t.Fatalf("the refused refresh token still works: %d", st)
		}
	})
	t.Run("a verification link opened elsewhere verifies and asks to sign in", func(t *testing.T) {
		mustStatus(t, attacker.post("/sign-out", nil), http.StatusSeeOther)
		vb, vbe := mustApp(t, nil, nil)
		mustStatus(t, vb.post("/sign-up", url.Values{"email": {"ida@example.com"}, "password": {testPassword}}), http.StatusOK)
		other := vb.fork()
		other.mustRefused(other.get(vb.followEmailLink()), "Your email is verified. Sign in to continue.")
		other.signInAs("ida@example.com", testPassword)
		_ = vbe
	})
}

// TestCallbackWithoutPKCESupport runs the app against an auth service that
// has no POST /token/exchange (Nhost Auth before 0.43: the real backend
// with that route taken away). The hand-off fails with a clear message
// instead of falling back to refresh tokens.
func TestCallbackWithoutPKCESupport(t *testing.T) {
	t.Parallel()
	var be *testBackend
	old := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/auth/token/exchange" {
			http.NotFound(w, r)
			return
		}
		be.handler.ServeHTTP(w, r)
	}))
	t.Cleanup(old.Close)
	var b *browser
	b, be = mustApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}, func(o *web.Options) {
		o.Auth = auth.New(old.URL+"/v1/auth", nil)
	})
	mustStatus(t, b.post("/sign-in/magic-link", url.Values{"email": {"old@example.com"}}), http.StatusOK)
	b.mustRefused(b.get(b.followEmailLink()), "Ask the operator to upgrade Nhost Auth.")

	// A service that ignores codeChallenge hands this browser's own flow
	// back with a refreshToken: refused and revoked, with the same message.
	mustStatus(t, b.post("/sign-in/magic-link", url.Values{"email": {"old@example.com"}}), http.StatusOK)
	flow := mustQuery(t, b.followEmailLink()).Get("flow")
	be.mustUser("old2@example.com", testPassword)
	rt := be.mustSession("old2@example.com", testPassword).RefreshToken
	b.mustRefused(b.get("/auth/callback?"+url.Values{"flow": {flow}, "refreshToken": {rt}, "type": {"passwordlessEmail"}}.Encode()), "Ask the operator to upgrade Nhost Auth.")
	if st := be.call("POST", "/v1/auth/token", "", map[string]string{"refreshToken": rt}, nil); st != http.StatusUnauthorized {
		t.Fatalf("the refused refresh token still works: %d", st)
	}
}
