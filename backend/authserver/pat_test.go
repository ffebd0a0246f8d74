package authserver

import (
	"net/http"
	"testing"
	"time"
)

func TestPAT(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		s := e.signUp("pat@example.com")
		tok := bearer(s["accessToken"].(string))
		if r := e.post("/pat", map[string]any{"expiresAt": e.clock.Now().Add(time.Hour)}); r.status != http.StatusUnauthorized {
			t.Fatalf("without bearer: %d", r.status)
		}
		wantError(t, e.do(http.MethodPost, "/pat", map[string]any{"expiresAt": e.clock.Now().Add(-time.Hour)}, tok), 400, "invalid-request")
		wantError(t, e.do(http.MethodPost, "/pat", map[string]any{"expiresAt": "tomorrow"}, tok), 400, "invalid-request")
		r := e.do(http.MethodPost, "/pat", map[string]any{"expiresAt": e.clock.Now().Add(time.Hour), "metadata": map[string]any{"name": "cli"}}, tok)
		if r.status != http.StatusOK {
			t.Fatalf("create: %d %s", r.status, r.raw)
		}
		pat := r.json(t)["personalAccessToken"].(string)
		sess := wantSession(t, e.post("/signin/pat", map[string]any{"personalAccessToken": pat}))
		if sess["user"].(map[string]any)["email"] != "pat@example.com" {
			t.Fatalf("session %v", sess)
		}
		wantSession(t, e.post("/signin/pat", map[string]any{"personalAccessToken": pat}))
		wantError(t, e.refresh(pat), 401, "invalid-refresh-token")
		wantError(t, e.post("/signin/pat", map[string]any{"personalAccessToken": "8f0d4c8e-1c1e-4b53-9a39-1f7f1f0b7e3a"}), 401, "invalid-pat")
		e.clock.Advance(time.Hour + time.Second)
		wantError(t, e.post("/signin/pat", map[string]any{"personalAccessToken": pat}), 401, "invalid-pat")
	})
}
