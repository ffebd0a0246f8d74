package authserver

import (
	"net/http"
	"strings"
	"testing"
)

func TestUserEmailChange(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		s := e.signUp("old@example.com")
		e.signUp("taken@example.com")
		tok := bearer(s["accessToken"].(string))
		if r := e.post("/user/email/change", map[string]any{"newEmail": "new@example.com"}); r.status != http.StatusUnauthorized {
			t.Fatalf("without bearer: %d", r.status)
		}
		wantError(t, e.do(http.MethodPost, "/user/email/change", map[string]any{"newEmail": "Taken@example.com"}, tok), 409, "email-already-in-use")
		wantError(t, e.do(http.MethodPost, "/user/email/change", map[string]any{"newEmail": "bad"}, tok), 400, "invalid-request")
		wantOK(t, e.do(http.MethodPost, "/user/email/change", map[string]any{"newEmail": "New@example.com"}, tok))
		link := e.lastLink("new@example.com")
		if !strings.Contains(link, "ticket=emailConfirmChange%3A") || !strings.HasSuffix(link, "type=emailConfirmChange") {
			t.Fatalf("link %s", link)
		}
		loc := e.follow(link)
		if loc.Query().Get("type") != "emailConfirmChange" || loc.Query().Get("refreshToken") == "" {
			t.Fatalf("redirect %s", loc)
		}
		wantSession(t, e.post("/signin/email-password", map[string]any{"email": "new@example.com", "password": testPassword}))
		wantError(t, e.post("/signin/email-password", map[string]any{"email": "old@example.com", "password": testPassword}), 401, "invalid-email-password")
	})
}

func TestUserDeanonymize(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_ANONYMOUS_USERS_ENABLED": "true"}})
		named := e.signUp("named@example.com")
		wantError(t, e.do(http.MethodPost, "/user/deanonymize", map[string]any{"signInMethod": "email-password", "email": "x@example.com", "password": testPassword},
			bearer(named["accessToken"].(string))), 400, "user-not-anonymous")
		anon := wantSession(t, e.post("/signin/anonymous", nil))
		tok := bearer(anon["accessToken"].(string))
		wantError(t, e.do(http.MethodPost, "/user/deanonymize", map[string]any{"signInMethod": "sms", "email": "a@example.com"}, tok), 400, "invalid-request")
		wantError(t, e.do(http.MethodPost, "/user/deanonymize", map[string]any{"signInMethod": "email-password", "email": "a@example.com"}, tok), 400, "invalid-request")
		wantError(t, e.do(http.MethodPost, "/user/deanonymize", map[string]any{"signInMethod": "email-password", "email": "named@example.com", "password": testPassword}, tok), 409, "email-already-in-use")
		wantOK(t, e.do(http.MethodPost, "/user/deanonymize", map[string]any{"signInMethod": "email-password", "email": "a@example.com", "password": testPassword}, tok))
		wantError(t, e.refresh(anon["refreshToken"].(string)), 401, "invalid-refresh-token")
		e.follow(e.lastLink("a@example.com"))
		s := wantSession(t, e.post("/signin/email-password", map[string]any{"email": "a@example.com", "password": testPassword}))
		u := s["user"].(map[string]any)
		if u["id"] != anon["user"].(map[string]any)["id"] || u["isAnonymous"] != false || u["defaultRole"] != "user" {
			t.Fatalf("user %v", u)
		}
		ns := decodeClaims(t, s["accessToken"].(string))["https://hasura.io/jwt/claims"].(map[string]any)
		if ns["x-hasura-user-is-anonymous"] != "false" || len(ns["x-hasura-allowed-roles"].([]any)) != 2 {
			t.Fatalf("claims %v", ns)
		}
		t.Run("passwordless", func(t *testing.T) {
			anon := wantSession(t, e.post("/signin/anonymous", nil))
			wantOK(t, e.do(http.MethodPost, "/user/deanonymize", map[string]any{"signInMethod": "passwordless", "email": "p@example.com"}, bearer(anon["accessToken"].(string))))
			loc := e.follow(e.lastLink("p@example.com"))
			if loc.Query().Get("type") != "passwordlessEmail" {
				t.Fatalf("redirect %s", loc)
			}
		})
	})
}
