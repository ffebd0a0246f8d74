package authserver

import (
	"net/http"
	"testing"
)

// BenchmarkRefresh measures POST /token (rotation plus a new access token)
// over real HTTP on SQLite.
func BenchmarkRefresh(b *testing.B) {
	e := benchEnv(b)
	tok := e.signUp("bench@example.com")["refreshToken"].(string)
	b.ResetTimer()
	for b.Loop() {
		r := e.refresh(tok)
		if r.status != http.StatusOK {
			b.Fatalf("refresh: %d %s", r.status, r.raw)
		}
		tok = r.json(e.t)["refreshToken"].(string)
	}
}

// BenchmarkSignIn measures POST /signin/email-password, which bcrypt
// (cost 10) dominates.
func BenchmarkSignIn(b *testing.B) {
	e := benchEnv(b)
	e.signUp("bench@example.com")
	body := map[string]any{"email": "bench@example.com", "password": testPassword}
	b.ResetTimer()
	for b.Loop() {
		if r := e.post("/signin/email-password", body); r.status != http.StatusOK {
			b.Fatalf("sign in: %d %s", r.status, r.raw)
		}
	}
}
