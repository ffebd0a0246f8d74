package authserver

import (
	"net/url"
	"strings"
	"testing"
)

func TestPKCE(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e, fakes := providerEnv(t, dbURL)
		verifier := strings.Repeat("v", 20) + "-verifier-of-at-least-43-chars"
		challenge := challengeOf(verifier)
		wantOK(t, e.post("/signin/passwordless/email", map[string]any{"email": "pkce@example.com", "codeChallenge": challenge}))
		link := e.lastLink("pkce@example.com")
		if !strings.Contains(link, "codeChallenge="+challenge) {
			t.Fatalf("link %s", link)
		}
		loc := e.follow(link)
		code := loc.Query().Get("code")
		if code == "" || loc.Query().Get("refreshToken") != "" || loc.Query().Get("type") != "passwordlessEmail" {
			t.Fatalf("redirect %s", loc)
		}
		wantError(t, e.post("/token/exchange", map[string]any{"code": code, "codeVerifier": "short"}), 400, "invalid-request")
		wantSession(t, e.post("/token/exchange", map[string]any{"code": code, "codeVerifier": verifier}))
		wantError(t, e.post("/token/exchange", map[string]any{"code": code, "codeVerifier": verifier}), 400, "invalid-request")
		t.Run("wrong verifier burns the code", func(t *testing.T) {
			wantOK(t, e.post("/signin/passwordless/email", map[string]any{"email": "pkce@example.com", "codeChallenge": challenge}))
			code := e.follow(e.lastLink("pkce@example.com")).Query().Get("code")
			wantError(t, e.post("/token/exchange", map[string]any{"code": code, "codeVerifier": strings.Repeat("x", 43)}), 400, "invalid-request")
			wantError(t, e.post("/token/exchange", map[string]any{"code": code, "codeVerifier": verifier}), 400, "invalid-request")
		})
		t.Run("bad challenge", func(t *testing.T) {
			wantError(t, e.post("/signin/passwordless/email", map[string]any{"email": "pkce@example.com", "codeChallenge": "short"}), 400, "invalid-request")
		})
		t.Run("oauth", func(t *testing.T) {
			f := fakes["google"]
			f.next = identity{id: "pk1", name: "Pk Ce", email: "pk@example.com", verified: true}
			loc := e.oauth(f, "codeChallenge="+url.QueryEscape(challenge), nil)
			code := loc.Query().Get("code")
			if code == "" || loc.Query().Get("refreshToken") != "" {
				t.Fatalf("redirect %s", loc)
			}
			s := wantSession(t, e.post("/token/exchange", map[string]any{"code": code, "codeVerifier": verifier}))
			if s["user"].(map[string]any)["email"] != "pk@example.com" {
				t.Fatalf("user %v", s["user"])
			}
			t.Run("signup flow refuses an existing user", func(t *testing.T) {
				start := e.get("/signup/provider/google").location(t)
				cb := e.do("GET", start.String(), nil, nil).location(t)
				loc := e.do("GET", cb.String(), nil, nil).location(t)
				if loc.Query().Get("error") != "user-already-exists" {
					t.Fatalf("redirect %s", loc)
				}
			})
			t.Run("signup flow creates a new user", func(t *testing.T) {
				f.next = identity{id: "pk2", name: "New Comer", email: "newcomer@example.com", verified: true}
				start := e.get("/signup/provider/google").location(t)
				cb := e.do("GET", start.String(), nil, nil).location(t)
				loc := e.do("GET", cb.String(), nil, nil).location(t)
				if loc.Query().Get("refreshToken") == "" {
					t.Fatalf("redirect %s", loc)
				}
			})
		})
	})
}
