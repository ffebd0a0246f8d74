package authserver

import (
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestRateLimits(t *testing.T) {
	t.Parallel()
	e := mustEnv(t, sqliteURL, setup{env: map[string]string{
		"AUTH_RATE_LIMIT_ENABLE":               "true",
		"AUTH_RATE_LIMIT_BRUTE_FORCE_BURST":    "3",
		"AUTH_RATE_LIMIT_BRUTE_FORCE_INTERVAL": "5m",
		"AUTH_RATE_LIMIT_EMAIL_BURST":          "2",
		"AUTH_RATE_LIMIT_EMAIL_INTERVAL":       "1h",
		"AUTH_RATE_LIMIT_SIGNUPS_BURST":        "2",
		"AUTH_RATE_LIMIT_SIGNUPS_INTERVAL":     "300",
	}})
	from := func(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }
	signIn := func(ip, email string) reply {
		return e.do(http.MethodPost, "/signin/email-password", map[string]any{"email": email, "password": "wrong-password"}, from(ip))
	}
	t.Run("sign-in per IP", func(t *testing.T) {
		for i := range 3 {
			wantError(t, signIn("10.0.0.1", "a"+strconv.Itoa(i)+"@example.com"), 401, "invalid-email-password")
		}
		r := signIn("10.0.0.1", "z@example.com")
		wantError(t, r, 429, "too-many-requests")
		if ra, _ := strconv.Atoi(r.header.Get("Retry-After")); ra < 1 || ra > 100 {
			t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
		}
		wantError(t, signIn("10.0.0.2", "z@example.com"), 401, "invalid-email-password")
		e.clock.Advance(100 * time.Second)
		wantError(t, signIn("10.0.0.1", "z@example.com"), 401, "invalid-email-password")
	})
	t.Run("sign-in per email across IPs", func(t *testing.T) {
		for i := range 3 {
			wantError(t, signIn("10.1.0."+strconv.Itoa(i), "target@example.com"), 401, "invalid-email-password")
		}
		wantError(t, signIn("10.1.0.9", "target@example.com"), 429, "too-many-requests")
	})
	t.Run("emails per address", func(t *testing.T) {
		for i := range 2 {
			wantOK(t, e.do(http.MethodPost, "/user/password/reset", map[string]any{"email": "r@example.com"}, from("10.2.0."+strconv.Itoa(i))))
		}
		wantError(t, e.do(http.MethodPost, "/signin/passwordless/email", map[string]any{"email": "r@example.com"}, from("10.2.0.9")), 429, "too-many-requests")
	})
	t.Run("sign-ups per IP", func(t *testing.T) {
		for i := range 2 {
			r := e.do(http.MethodPost, "/signup/email-password", map[string]any{"email": "s" + strconv.Itoa(i) + "@example.com", "password": testPassword}, from("10.3.0.1"))
			if r.status != http.StatusOK {
				t.Fatalf("sign-up %d: %d %s", i, r.status, r.raw)
			}
		}
		wantError(t, e.do(http.MethodPost, "/signup/email-password", map[string]any{"email": "s9@example.com", "password": testPassword}, from("10.3.0.1")), 429, "too-many-requests")
		e.clock.Advance(150 * time.Second)
		if r := e.do(http.MethodPost, "/signup/email-password", map[string]any{"email": "s9@example.com", "password": testPassword}, from("10.3.0.1")); r.status != http.StatusOK {
			t.Fatalf("after refill: %d %s", r.status, r.raw)
		}
	})
}

func TestRateLimitsOffByDefault(t *testing.T) {
	t.Parallel()
	e := mustEnv(t, sqliteURL, setup{env: map[string]string{"AUTH_RATE_LIMIT_BRUTE_FORCE_BURST": "1"}})
	for range 3 {
		wantError(t, e.post("/signin/email-password", map[string]any{"email": "x@example.com", "password": "wrong-password"}), 401, "invalid-email-password")
	}
}

func TestGlobalRateLimit(t *testing.T) {
	t.Parallel()
	e := mustEnv(t, sqliteURL, setup{env: map[string]string{"AUTH_RATE_LIMIT_ENABLE": "true", "AUTH_RATE_LIMIT_GLOBAL_BURST": "2"}})
	e.get("/version")
	e.get("/version")
	wantError(t, e.get("/version"), 429, "too-many-requests")
	wantOK(t, e.get("/healthz"))
}

func TestBcryptBound(t *testing.T) {
	t.Parallel()
	e := mustEnv(t, sqliteURL, setup{env: map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}})
	e.signUp("b@example.com")
	e.srv.hasher = newHasher(1, 1)
	e.srv.hasher.sem <- struct{}{} // every bcrypt slot is busy
	var wg sync.WaitGroup
	var queued reply
	wg.Add(1)
	go func() {
		defer wg.Done()
		queued = e.post("/signin/email-password", map[string]any{"email": "b@example.com", "password": testPassword})
	}()
	for e.srv.hasher.waiting.Load() != 1 {
		runtimeGosched()
	}
	r := e.post("/signin/email-password", map[string]any{"email": "b@example.com", "password": testPassword})
	wantError(t, r, 429, "too-many-requests")
	if r.header.Get("Retry-After") == "" {
		t.Fatal("Retry-After missing")
	}
	e.srv.hasher.release()
	wg.Wait()
	wantSession(t, queued)
	if len(e.srv.hasher.sem) != 0 {
		t.Fatal("bcrypt slot leaked")
	}
}
