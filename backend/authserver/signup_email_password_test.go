package authserver

import (
	"net/http"
	"strings"
	"testing"
)

func TestSignUpEmailPassword(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		t.Run("verification required returns no session and emails a link", func(t *testing.T) {
			r := e.post("/signup/email-password", map[string]any{"email": "  Ada@Example.COM ", "password": testPassword,
				"options": map[string]any{"displayName": "Ada", "metadata": map[string]any{"plan": "free"}, "redirectTo": "https://allowed.test/callback/done"}})
			if r.status != http.StatusOK || strings.TrimSpace(string(r.raw)) != "{}" {
				t.Fatalf("got %d %s, want 200 {}", r.status, r.raw)
			}
			link := e.lastLink("ada@example.com")
			if !strings.Contains(link, "type=emailVerify") || !strings.Contains(link, "ticket=verifyEmail%3A") ||
				!strings.Contains(link, "redirectTo=https%3A%2F%2Fallowed.test%2Fcallback%2Fdone") {
				t.Fatalf("link %s", link)
			}
			wantError(t, e.post("/signin/email-password", map[string]any{"email": "ada@example.com", "password": testPassword}), 401, "unverified-user")
			wantError(t, e.post("/signin/email-password", map[string]any{"email": "ada@example.com", "password": "wrong-password"}), 401, "unverified-user")
			loc := e.follow(link)
			if loc.Host != "allowed.test" || loc.Query().Get("type") != "verifyEmail" || loc.Query().Get("refreshToken") == "" {
				t.Fatalf("verify redirect %s", loc)
			}
			s := wantSession(t, e.post("/signin/email-password", map[string]any{"email": "ADA@example.com", "password": testPassword}))
			u := s["user"].(map[string]any)
			if u["email"] != "ada@example.com" || u["displayName"] != "Ada" || u["emailVerified"] != true ||
				u["defaultRole"] != "user" || u["locale"] != "en" || u["isAnonymous"] != false {
				t.Fatalf("user %v", u)
			}
			if m, _ := u["metadata"].(map[string]any); m["plan"] != "free" {
				t.Fatalf("metadata %v", u["metadata"])
			}
			if _, ok := u["phoneNumber"]; ok {
				t.Fatalf("phoneNumber should be omitted: %v", u)
			}
		})
		cases := []struct {
			name   string
			body   any
			status int
			code   string
		}{
			{"duplicate email, other case", map[string]any{"email": "ADA@example.com", "password": testPassword}, 409, "email-already-in-use"},
			{"short password", map[string]any{"email": "b@example.com", "password": "short"}, 400, "password-too-short"},
			{"long password", map[string]any{"email": "b@example.com", "password": strings.Repeat("x", 51)}, 400, "invalid-request"},
			{"bad email", map[string]any{"email": "not-an-email", "password": testPassword}, 400, "invalid-request"},
			{"missing email", map[string]any{"password": testPassword}, 400, "invalid-request"},
			{"wrong type", map[string]any{"email": 42, "password": testPassword}, 400, "invalid-request"},
			{"malformed JSON", `{"email": "b@example.com",`, 400, "invalid-request"},
			{"empty body", "", 400, "invalid-request"},
			{"trailing data", `{"email":"b@example.com","password":"correct-horse"} {}`, 400, "invalid-request"},
			{"oversized body", `{"email":"b@example.com","password":"` + strings.Repeat("x", 70<<10) + `"}`, 400, "invalid-request"},
			{"role not allowed", map[string]any{"email": "b@example.com", "password": testPassword, "options": map[string]any{"allowedRoles": []string{"admin"}}}, 400, "role-not-allowed"},
			{"default role outside allowed", map[string]any{"email": "b@example.com", "password": testPassword, "options": map[string]any{"allowedRoles": []string{"me"}, "defaultRole": "user"}}, 400, "default-role-must-be-in-allowed-roles"},
			{"redirect not allowed", map[string]any{"email": "b@example.com", "password": testPassword, "options": map[string]any{"redirectTo": "https://evil.test/"}}, 400, "redirectTo-not-allowed"},
			{"metadata not an object", map[string]any{"email": "b@example.com", "password": testPassword, "options": map[string]any{"metadata": []int{1}}}, 400, "invalid-request"},
			{"display name with a slash", map[string]any{"email": "b@example.com", "password": testPassword, "options": map[string]any{"displayName": "a/b&c:"}}, 400, "invalid-request"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wantError(t, e.post("/signup/email-password", c.body), c.status, c.code)
			})
		}
		t.Run("nothing half-written", func(t *testing.T) {
			var n int
			if err := e.db.QueryRow(e.srv.d.q(`SELECT count(*) FROM {users}`)).Scan(&n); err != nil || n != 1 {
				t.Fatalf("users = %d (%v), want 1", n, err)
			}
		})
	})
}

func TestSignUpEmailPasswordWithoutVerification(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}})
		s := wantSession(t, e.post("/signup/email-password", map[string]any{"email": "c@example.com", "password": testPassword,
			"options": map[string]any{"allowedRoles": []string{"me"}, "defaultRole": "me"}}))
		u := s["user"].(map[string]any)
		if u["defaultRole"] != "me" || u["emailVerified"] != false {
			t.Fatalf("user %v", u)
		}
		if roles := u["roles"].([]any); len(roles) != 1 || roles[0] != "me" {
			t.Fatalf("roles %v", roles)
		}
		if len(e.outbox("c@example.com")) != 0 {
			t.Fatal("no email expected without verification")
		}
	})
}

func TestSignUpDisabled(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_DISABLE_SIGNUP": "true"}})
		wantError(t, e.post("/signup/email-password", map[string]any{"email": "d@example.com", "password": testPassword}), 403, "signup-disabled")
		c := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_DISABLE_SIGNUP": "true", "AUTH_CONCEAL_ERRORS": "true"}})
		wantError(t, c.post("/signup/email-password", map[string]any{"email": "d@example.com", "password": testPassword}), 400, "invalid-request")
		b := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_ACCESS_CONTROL_BLOCKED_EMAIL_DOMAINS": "spam.test"}})
		wantError(t, b.post("/signup/email-password", map[string]any{"email": "x@spam.test", "password": testPassword}), 401, "invalid-email-password")
		n := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_DISABLE_NEW_USERS": "true", "AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}})
		wantError(t, n.post("/signup/email-password", map[string]any{"email": "d@example.com", "password": testPassword}), 401, "disabled-user")
		wantError(t, n.post("/signin/email-password", map[string]any{"email": "d@example.com", "password": testPassword}), 401, "disabled-user")
	})
}
