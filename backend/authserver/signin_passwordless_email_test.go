package authserver

import (
	"net/http"
	"strings"
	"testing"
)

func TestMagicLink(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		wantOK(t, e.post("/signin/passwordless/email", map[string]any{"email": "Magic@Example.com",
			"options": map[string]any{"redirectTo": testClientURL + "/after?keep=1", "displayName": "Magic"}}))
		msgs := e.outbox("magic@example.com")
		if len(msgs) != 1 || msgs[0].Kind != "email" || msgs[0].Subject == "" {
			t.Fatalf("outbox %+v", msgs)
		}
		link := e.lastLink("magic@example.com")
		if !strings.Contains(link, "/verify?redirectTo=") || !strings.Contains(link, "ticket=passwordlessEmail%3A") || !strings.HasSuffix(link, "type=signinPasswordless") {
			t.Fatalf("link %s", link)
		}
		loc := e.follow(link)
		q := loc.Query()
		if loc.Path != "/after" || q.Get("keep") != "1" || q.Get("type") != "passwordlessEmail" || q.Get("refreshToken") == "" {
			t.Fatalf("redirect %s", loc)
		}
		r := e.refresh(q.Get("refreshToken"))
		if r.status != http.StatusOK {
			t.Fatalf("token: %d %s", r.status, r.raw)
		}
		u := r.json(t)["user"].(map[string]any)
		if u["emailVerified"] != true || u["displayName"] != "Magic" {
			t.Fatalf("user %v", u)
		}
		t.Run("link works once", func(t *testing.T) {
			loc := e.follow(link)
			if loc.Query().Get("error") != "invalid-ticket" || loc.Query().Get("errorDescription") == "" || loc.Query().Get("refreshToken") != "" {
				t.Fatalf("reused link: %s", loc)
			}
		})
		t.Run("existing user gets a new link", func(t *testing.T) {
			wantOK(t, e.post("/signin/passwordless/email", map[string]any{"email": "magic@example.com"}))
			if n := len(e.outbox("magic@example.com")); n != 2 {
				t.Fatalf("outbox has %d", n)
			}
		})
		t.Run("signup twin is silent for existing users", func(t *testing.T) {
			wantOK(t, e.post("/signup/passwordless/email", map[string]any{"email": "magic@example.com"}))
			if n := len(e.outbox("magic@example.com")); n != 2 {
				t.Fatalf("outbox has %d, want no new mail", n)
			}
			wantOK(t, e.post("/signup/passwordless/email", map[string]any{"email": "new@example.com"}))
			if n := len(e.outbox("new@example.com")); n != 1 {
				t.Fatalf("outbox has %d", n)
			}
		})
		for name, c := range map[string]struct {
			body   any
			status int
			code   string
		}{
			"bad email":    {map[string]any{"email": "x"}, 400, "invalid-request"},
			"bad redirect": {map[string]any{"email": "y@example.com", "options": map[string]any{"redirectTo": "https://evil.test"}}, 400, "redirectTo-not-allowed"},
			"not json":     {"{", 400, "invalid-request"},
		} {
			t.Run(name, func(t *testing.T) { wantError(t, e.post("/signin/passwordless/email", c.body), c.status, c.code) })
		}
		off := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_EMAIL_PASSWORDLESS_ENABLED": "false"}})
		wantError(t, off.post("/signin/passwordless/email", map[string]any{"email": "a@example.com"}), 409, "disabled-endpoint")
	})
}

func TestVerify(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		wantOK(t, e.post("/signin/passwordless/email", map[string]any{"email": "v@example.com"}))
		link := e.lastLink("v@example.com")
		t.Run("disallowed redirect goes to the client URL", func(t *testing.T) {
			loc := e.follow(strings.Replace(link, "redirectTo=http%3A%2F%2Fapp.test", "redirectTo=https%3A%2F%2Fevil.test", 1))
			if loc.Host != "app.test" || loc.Query().Get("error") != "redirectTo-not-allowed" {
				t.Fatalf("redirect %s", loc)
			}
		})
		t.Run("unknown ticket kind", func(t *testing.T) {
			loc := e.follow("/verify?ticket=otp%3A123&redirectTo=" + testClientURL)
			if loc.Query().Get("error") != "invalid-ticket" {
				t.Fatalf("redirect %s", loc)
			}
		})
		t.Run("expired ticket", func(t *testing.T) {
			e.clock.Advance(61 * 60e9)
			loc := e.follow(link)
			if loc.Query().Get("error") != "invalid-ticket" {
				t.Fatalf("redirect %s", loc)
			}
		})
		t.Run("unparsable redirect is a JSON 400", func(t *testing.T) {
			wantError(t, e.get("/verify?ticket=x&redirectTo=%25zz"), 400, "invalid-request")
		})
	})
}
