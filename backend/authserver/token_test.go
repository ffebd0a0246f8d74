package authserver

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestTokenRotation(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		s := e.signUp("rot@example.com")
		first := s["refreshToken"].(string)
		r := e.refresh(first)
		if r.status != http.StatusOK {
			t.Fatalf("refresh: %d %s", r.status, r.raw)
		}
		next := r.json(t)
		checkSession(t, next)
		if _, wrapped := next["session"]; wrapped {
			t.Fatal("POST /token returns a bare Session")
		}
		if next["refreshTokenId"] != s["refreshTokenId"] || next["refreshToken"] == first {
			t.Fatalf("rotation must keep the id and change the token: %v vs %v", next, s)
		}
		var hash string
		if err := e.db.QueryRow(e.srv.d.q(`SELECT refresh_token_hash FROM {refresh_tokens} WHERE id = $1`), next["refreshTokenId"]).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if hash != hashRefreshToken(next["refreshToken"].(string)) || len(hash) != 66 || hash[:2] != `\x` {
			t.Fatalf("stored hash %q", hash)
		}
		wantError(t, e.refresh(first), 401, "invalid-refresh-token")
		third := e.refresh(next["refreshToken"].(string))
		if third.status != http.StatusOK {
			t.Fatalf("second rotation: %d %s", third.status, third.raw)
		}
		t.Run("expiry slides and ends", func(t *testing.T) {
			tok := third.json(t)["refreshToken"].(string)
			e.clock.Advance(29 * 24 * time.Hour)
			r := e.refresh(tok)
			if r.status != http.StatusOK {
				t.Fatalf("refresh within lifetime: %d %s", r.status, r.raw)
			}
			tok = r.json(t)["refreshToken"].(string)
			e.clock.Advance(30*24*time.Hour + time.Second)
			wantError(t, e.refresh(tok), 401, "invalid-refresh-token")
		})
		cases := []struct {
			name   string
			body   any
			status int
			code   string
		}{
			{"unknown token", map[string]any{"refreshToken": "3f1b4c1e-1d9a-4d1b-9a61-2d8f4b8f5e11"}, 401, "invalid-refresh-token"},
			{"not a uuid", map[string]any{"refreshToken": "nope"}, 401, "invalid-refresh-token"},
			{"missing", map[string]any{}, 400, "invalid-request"},
			{"wrong type", map[string]any{"refreshToken": 7}, 400, "invalid-request"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { wantError(t, e.post("/token", c.body), c.status, c.code) })
		}
	})
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		a := e.signUp("out@example.com")
		b := wantSession(t, e.post("/signin/email-password", map[string]any{"email": "out@example.com", "password": testPassword}))
		c := wantSession(t, e.post("/signin/email-password", map[string]any{"email": "out@example.com", "password": testPassword}))
		wantOK(t, e.post("/signout", map[string]any{"refreshToken": a["refreshToken"]}))
		wantError(t, e.refresh(a["refreshToken"].(string)), 401, "invalid-refresh-token")
		if r := e.refresh(b["refreshToken"].(string)); r.status != http.StatusOK {
			t.Fatalf("other session must survive: %d %s", r.status, r.raw)
		}
		wantError(t, e.post("/signout", map[string]any{}), 400, "invalid-request")
		wantError(t, e.post("/signout", ""), 400, "invalid-request")
		if r := e.post("/signout", map[string]any{"all": true}); r.status != http.StatusUnauthorized || r.json(t)["error"] != "unauthorized" {
			t.Fatalf("all without bearer: %d %s", r.status, r.raw)
		}
		wantOK(t, e.do(http.MethodPost, "/signout", map[string]any{"all": true}, bearer(c["accessToken"].(string))))
		wantError(t, e.refresh(c["refreshToken"].(string)), 401, "invalid-refresh-token")
		var n int
		if err := e.db.QueryRow(e.srv.d.q(`SELECT count(*) FROM {refresh_tokens}`)).Scan(&n); err != nil || n != 0 {
			t.Fatalf("refresh tokens left: %d (%v)", n, err)
		}
	})
}

func TestUser(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		s := e.signUp("me@example.com")
		r := e.do(http.MethodGet, "/user", nil, bearer(s["accessToken"].(string)))
		if r.status != http.StatusOK {
			t.Fatalf("GET /user: %d %s", r.status, r.raw)
		}
		u := r.json(t)
		for _, k := range []string{"avatarUrl", "createdAt", "defaultRole", "displayName", "emailVerified", "id", "isAnonymous", "locale", "metadata", "phoneNumberVerified", "roles", "activeMfaType"} {
			if _, ok := u[k]; !ok {
				t.Fatalf("user without %s: %v", k, u)
			}
		}
		if u["email"] != "me@example.com" || u["activeMfaType"] != nil {
			t.Fatalf("user %v", u)
		}
		if _, err := time.Parse(time.RFC3339, u["createdAt"].(string)); err != nil {
			t.Fatalf("createdAt: %v", err)
		}
		for name, h := range map[string]map[string]string{
			"no header":    nil,
			"not bearer":   {"Authorization": "Basic abc"},
			"garbage":      bearer("abc.def.ghi"),
			"refresh uuid": bearer(s["refreshToken"].(string)),
		} {
			t.Run(name, func(t *testing.T) {
				r := e.do(http.MethodGet, "/user", nil, h)
				if r.status != http.StatusUnauthorized || r.json(t)["error"] != "unauthorized" || r.json(t)["securityScheme"] != "BearerAuth" {
					t.Fatalf("got %d %s", r.status, r.raw)
				}
			})
		}
		t.Run("expired token", func(t *testing.T) {
			e.clock.Advance(901 * time.Second)
			r := e.do(http.MethodGet, "/user", nil, bearer(s["accessToken"].(string)))
			if r.status != http.StatusUnauthorized || r.json(t)["reason"] != "invalid or expired token" {
				t.Fatalf("got %d %s", r.status, r.raw)
			}
			// The engine verifies with the same contract and refuses it too.
			if _, err := e.srv.jwt.Verify(s["accessToken"].(string), e.clock.Now()); err == nil || !strings.Contains(err.Error(), "JWTExpired") {
				t.Fatalf("hasurajwt accepted an expired token: %v", err)
			}
		})
	})
}

func TestTokenVerify(t *testing.T) {
	t.Parallel()
	e := mustEnv(t, sqliteURL, setup{})
	s := e.signUp("tv@example.com")
	wantOK(t, e.post("/token/verify", map[string]any{"token": s["accessToken"]}))
	wantOK(t, e.do(http.MethodPost, "/token/verify", nil, bearer(s["accessToken"].(string))))
	if r := e.post("/token/verify", map[string]any{"token": "x.y.z"}); r.status != http.StatusUnauthorized {
		t.Fatalf("bad token: %d %s", r.status, r.raw)
	}
}

func TestTokenRotationRace(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		tok := e.signUp("race@example.com")["refreshToken"].(string)
		const n = 6
		statuses := make(chan int, n)
		start := make(chan struct{})
		for range n {
			go func() {
				<-start
				statuses <- e.refresh(tok).status
			}()
		}
		close(start)
		ok := 0
		for range n {
			switch s := <-statuses; s {
			case http.StatusOK:
				ok++
			case http.StatusUnauthorized:
			default:
				t.Errorf("unexpected status %d", s)
			}
		}
		if ok != 1 {
			t.Fatalf("%d concurrent refreshes with one token succeeded, want exactly 1", ok)
		}
	})
}
