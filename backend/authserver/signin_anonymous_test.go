package authserver

import (
	"net/http"
	"testing"
)

func TestSignInAnonymous(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		off := mustEnv(t, dbURL, setup{})
		wantError(t, off.post("/signin/anonymous", nil), 409, "disabled-endpoint")
		e := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_ANONYMOUS_USERS_ENABLED": "true"}})
		s := wantSession(t, e.post("/signin/anonymous", nil))
		u := s["user"].(map[string]any)
		if u["isAnonymous"] != true || u["defaultRole"] != "anonymous" || u["displayName"] != "Anonymous User" {
			t.Fatalf("user %v", u)
		}
		if _, ok := u["email"]; ok {
			t.Fatalf("anonymous user has no email: %v", u)
		}
		ns := decodeClaims(t, s["accessToken"].(string))["https://hasura.io/jwt/claims"].(map[string]any)
		if ns["x-hasura-user-is-anonymous"] != "true" || ns["x-hasura-default-role"] != "anonymous" {
			t.Fatalf("claims %v", ns)
		}
		if roles := ns["x-hasura-allowed-roles"].([]any); len(roles) != 1 || roles[0] != "anonymous" {
			t.Fatalf("roles %v", roles)
		}
		wantError(t, e.do(http.MethodGet, "/user", nil, bearer(s["accessToken"].(string))), 403, "forbidden-anonymous")
		named := wantSession(t, e.post("/signin/anonymous", map[string]any{"displayName": "Guest", "metadata": map[string]any{"a": 1}}))
		if named["user"].(map[string]any)["displayName"] != "Guest" {
			t.Fatalf("user %v", named["user"])
		}
		wantError(t, e.post("/signin/anonymous", map[string]any{"displayName": 5}), 400, "invalid-request")
		if r := e.refresh(s["refreshToken"].(string)); r.status != http.StatusOK {
			t.Fatalf("anonymous refresh: %d %s", r.status, r.raw)
		}
	})
}
