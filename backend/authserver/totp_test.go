package authserver

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestTOTPVectors(t *testing.T) {
	t.Parallel()
	secret := totpEncoding.EncodeToString([]byte("12345678901234567890"))
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"} {
		got, err := totpCode(secret, time.Unix(unix, 0))
		if err != nil || got != want {
			t.Errorf("totp at %d = %s (%v), want %s (RFC 6238)", unix, got, err, want)
		}
	}
	now := time.Unix(1111111109, 0)
	if !totpValid(secret, "081804", now.Add(25*time.Second)) || totpValid(secret, "081804", now.Add(95*time.Second)) {
		t.Error("one step of drift is accepted, more is not")
	}
}

func TestMFATOTP(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		off := mustEnv(t, dbURL, setup{})
		wantError(t, off.get("/mfa/totp/generate"), 409, "disabled-endpoint")
		e := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_MFA_ENABLED": "true", "AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}})
		s := e.signUp("mfa@example.com")
		tok := bearer(s["accessToken"].(string))
		wantError(t, e.do(http.MethodPost, "/user/mfa", map[string]any{"code": "123456", "activeMfaType": "totp"}, tok), 400, "no-totp-secret")
		r := e.do(http.MethodGet, "/mfa/totp/generate", nil, tok)
		if r.status != http.StatusOK {
			t.Fatalf("generate: %d %s", r.status, r.raw)
		}
		g := r.json(t)
		secret := g["totpSecret"].(string)
		if !strings.HasPrefix(g["imageUrl"].(string), "data:image/png;base64,") || len(secret) != 32 {
			t.Fatalf("generate: %v", g)
		}
		code := func() string {
			c, err := totpCode(secret, e.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		wrong := func() string {
			if code() == "000000" {
				return "111111"
			}
			return "000000"
		}
		wantError(t, e.do(http.MethodPost, "/user/mfa", map[string]any{"code": wrong(), "activeMfaType": "totp"}, tok), 401, "invalid-totp")
		wantError(t, e.do(http.MethodPost, "/user/mfa", map[string]any{"code": code(), "activeMfaType": "sms"}, tok), 400, "mfa-type-not-found")
		wantOK(t, e.do(http.MethodPost, "/user/mfa", map[string]any{"code": code(), "activeMfaType": "totp"}, tok))
		wantError(t, e.do(http.MethodGet, "/mfa/totp/generate", nil, tok), 400, "totp-already-active")

		r = e.post("/signin/email-password", map[string]any{"email": "mfa@example.com", "password": testPassword})
		m := r.json(t)
		ticket, _ := m["mfa"].(map[string]any)["ticket"].(string)
		if r.status != http.StatusOK || !strings.HasPrefix(ticket, "mfaTotp:") || m["session"] != nil {
			t.Fatalf("first step: %d %s", r.status, r.raw)
		}
		wantError(t, e.post("/signin/mfa/totp", map[string]any{"ticket": ticket, "otp": wrong()}), 401, "invalid-totp")
		wantError(t, e.post("/signin/mfa/totp", map[string]any{"ticket": "mfaTotp:nope", "otp": code()}), 401, "invalid-ticket")
		wantSession(t, e.post("/signin/mfa/totp", map[string]any{"ticket": ticket, "otp": code()}))
		wantError(t, e.post("/signin/mfa/totp", map[string]any{"ticket": ticket, "otp": code()}), 401, "invalid-ticket")
		t.Run("the ticket expires", func(t *testing.T) {
			r := e.post("/signin/email-password", map[string]any{"email": "mfa@example.com", "password": testPassword})
			ticket := r.json(t)["mfa"].(map[string]any)["ticket"]
			e.clock.Advance(mfaTicketTTL + time.Second)
			wantError(t, e.post("/signin/mfa/totp", map[string]any{"ticket": ticket, "otp": code()}), 401, "invalid-ticket")
		})
		wantOK(t, e.do(http.MethodPost, "/user/mfa", map[string]any{"code": code(), "activeMfaType": ""}, tok2(t, e)))
		wantSession(t, e.post("/signin/email-password", map[string]any{"email": "mfa@example.com", "password": testPassword}))
		wantError(t, e.do(http.MethodPost, "/user/mfa", map[string]any{"code": code(), "activeMfaType": ""}, tok2(t, e)), 401, "disabled-mfa-totp")
	})
}

// tok2 signs mfa@example.com in again (the first token may have expired
// under the moved clock), passing the second factor when asked.
func tok2(t *testing.T, e *testEnv) map[string]string {
	t.Helper()
	r := e.post("/signin/email-password", map[string]any{"email": "mfa@example.com", "password": testPassword})
	m := r.json(t)
	if s, ok := m["session"].(map[string]any); ok {
		return bearer(s["accessToken"].(string))
	}
	var secret string
	if err := e.db.QueryRow(e.srv.d.q(`SELECT totp_secret FROM {users} WHERE email = $1`), "mfa@example.com").Scan(&secret); err != nil {
		t.Fatal(err)
	}
	code, _ := totpCode(secret, e.clock.Now())
	s := wantSession(t, e.post("/signin/mfa/totp", map[string]any{"ticket": m["mfa"].(map[string]any)["ticket"], "otp": code}))
	return bearer(s["accessToken"].(string))
}
