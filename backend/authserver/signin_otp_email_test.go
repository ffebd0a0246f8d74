package authserver

import (
	"strings"
	"testing"
)

func TestOTPEmail(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		off := mustEnv(t, dbURL, setup{})
		wantError(t, off.post("/signin/otp/email", map[string]any{"email": "o@example.com"}), 409, "disabled-endpoint")
		e := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_OTP_EMAIL_ENABLED": "true"}})
		wantOK(t, e.post("/signin/otp/email", map[string]any{"email": "O@example.com"}))
		msgs := e.outbox("o@example.com")
		if len(msgs) != 1 {
			t.Fatalf("outbox %+v", msgs)
		}
		code := codePattern.FindString(msgs[0].Text)
		if code == "" || !strings.Contains(msgs[0].HTML, code) {
			t.Fatalf("no code in %q", msgs[0].Text)
		}
		bad := "000000"
		if code == bad {
			bad = "111111"
		}
		wantError(t, e.post("/signin/otp/email/verify", map[string]any{"email": "o@example.com", "otp": bad}), 401, "invalid-ticket")
		s := wantSession(t, e.post("/signin/otp/email/verify", map[string]any{"email": "o@example.com", "otp": code}))
		if s["user"].(map[string]any)["emailVerified"] != true {
			t.Fatalf("user %v", s["user"])
		}
		wantError(t, e.post("/signin/otp/email/verify", map[string]any{"email": "o@example.com", "otp": code}), 401, "invalid-ticket")
		wantError(t, e.post("/signin/otp/email/verify", map[string]any{"email": "nobody@example.com", "otp": code}), 401, "invalid-ticket")
		wantOK(t, e.post("/signup/otp/email", map[string]any{"email": "o@example.com"}))
		if len(e.outbox("o@example.com")) != 1 {
			t.Fatal("the sign-up twin sends nothing to an existing user")
		}
	})
}
