package authserver

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		old := e.signUp("reset@example.com")
		wantOK(t, e.post("/user/password/reset", map[string]any{"email": "RESET@example.com", "options": map[string]any{"redirectTo": "myapp://open/reset"}}))
		wantOK(t, e.post("/user/password/reset", map[string]any{"email": "unknown@example.com"}))
		if n := len(e.outbox("unknown@example.com")); n != 0 {
			t.Fatalf("unknown address got %d emails", n)
		}
		wantError(t, e.post("/user/password/reset", map[string]any{"email": "reset@example.com", "options": map[string]any{"redirectTo": "https://evil.test"}}), 400, "redirectTo-not-allowed")
		wantError(t, e.post("/user/password/reset", map[string]any{"email": 1}), 400, "invalid-request")
		link := e.lastLink("reset@example.com")
		if !strings.Contains(link, "ticket=passwordReset%3A") || !strings.HasSuffix(link, "type=passwordReset") {
			t.Fatalf("link %s", link)
		}
		t.Run("through /verify the user arrives signed in and sets a password", func(t *testing.T) {
			loc := e.follow(link)
			if loc.Scheme != "myapp" || loc.Query().Get("type") != "passwordReset" || loc.Query().Get("refreshToken") == "" {
				t.Fatalf("redirect %s", loc)
			}
			s := e.refresh(loc.Query().Get("refreshToken")).json(t)
			wantError(t, e.do(http.MethodPost, "/user/password", map[string]any{"newPassword": "short"}, bearer(s["accessToken"].(string))), 400, "password-too-short")
			wantOK(t, e.do(http.MethodPost, "/user/password", map[string]any{"newPassword": "a-brand-new-password"}, bearer(s["accessToken"].(string))))
			wantError(t, e.post("/signin/email-password", map[string]any{"email": "reset@example.com", "password": testPassword}), 401, "invalid-email-password")
			wantSession(t, e.post("/signin/email-password", map[string]any{"email": "reset@example.com", "password": "a-brand-new-password"}))
		})
		t.Run("with the ticket and no token", func(t *testing.T) {
			wantOK(t, e.post("/user/password/reset", map[string]any{"email": "reset@example.com"}))
			ticket := ticketOf(t, e.lastLink("reset@example.com"))
			wantError(t, e.post("/user/password", map[string]any{"newPassword": "third-password-here", "ticket": "passwordReset:00000000-0000-4000-8000-000000000000"}), 401, "invalid-ticket")
			wantError(t, e.post("/user/password", map[string]any{"newPassword": "third-password-here"}), 400, "invalid-request")
			wantOK(t, e.post("/user/password", map[string]any{"newPassword": "third-password-here", "ticket": ticket}))
			wantError(t, e.post("/user/password", map[string]any{"newPassword": "fourth-password-x", "ticket": ticket}), 401, "invalid-ticket")
			wantError(t, e.refresh(old["refreshToken"].(string)), 401, "invalid-refresh-token")
			wantSession(t, e.post("/signin/email-password", map[string]any{"email": "reset@example.com", "password": "third-password-here"}))
		})
		t.Run("bad bearer", func(t *testing.T) {
			r := e.do(http.MethodPost, "/user/password", map[string]any{"newPassword": "whatever-password"}, bearer("bad.token.here"))
			if r.status != http.StatusUnauthorized {
				t.Fatalf("got %d %s", r.status, r.raw)
			}
		})
	})
}

func TestSendVerificationEmail(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		r := e.post("/signup/email-password", map[string]any{"email": "sv@example.com", "password": testPassword})
		if r.status != http.StatusOK {
			t.Fatal(string(r.raw))
		}
		first := e.lastLink("sv@example.com")
		wantOK(t, e.post("/user/email/send-verification-email", map[string]any{"email": "sv@example.com", "options": map[string]any{"redirectTo": "https://allowed.test/callback"}}))
		second := e.lastLink("sv@example.com")
		if first == second {
			t.Fatal("a new ticket is expected")
		}
		if loc := e.follow(first); loc.Query().Get("error") != "invalid-ticket" {
			t.Fatalf("the old ticket must be replaced: %s", loc)
		}
		if loc := e.follow(second); loc.Query().Get("type") != "verifyEmail" || loc.Host != "allowed.test" {
			t.Fatalf("redirect %s", loc)
		}
		wantError(t, e.post("/user/email/send-verification-email", map[string]any{"email": "sv@example.com"}), 400, "email-already-verified")
		wantError(t, e.post("/user/email/send-verification-email", map[string]any{"email": "sv@example.com", "options": map[string]any{"redirectTo": "ftp//x"}}), 400, "redirectTo-not-allowed")
		wantOK(t, e.post("/user/email/send-verification-email", map[string]any{"email": "nobody@example.com"}))
		wantError(t, e.post("/user/email/send-verification-email", map[string]any{}), 400, "invalid-request")
	})
}

func ticketOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("ticket")
}
