package authserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/testenv"
)

// fuzzPaths are the auth API's JSON POST endpoints.
var fuzzPaths = []string{
	"/signup/email-password", "/signin/email-password", "/signin/passwordless/email", "/signup/passwordless/email",
	"/signin/passwordless/sms", "/signup/passwordless/sms", "/signin/passwordless/sms/otp", "/signin/otp/email",
	"/signup/otp/email", "/signin/otp/email/verify", "/signin/anonymous", "/token", "/token/verify", "/token/exchange",
	"/signout", "/user/password", "/user/password/reset", "/user/email/send-verification-email",
	"/user/email/change", "/user/deanonymize", "/pat", "/signin/pat", "/user/mfa", "/signin/mfa/totp",
}

// FuzzAuthBodies posts arbitrary bodies to every JSON endpoint of the auth
// API, signed out and signed in: never a 5xx or a dropped connection (a
// panic), and every 4xx is the contract's error object.
func FuzzAuthBodies(f *testing.F) {
	seeds := []string{
		`{"email":"fuzz@example.com","password":"correct-horse-battery"}`,
		`{"email":"fuzz@example.com","password":"correct-horse-battery","options":{"redirectTo":"https://evil.test","allowedRoles":["admin"],"defaultRole":"admin","metadata":{"a":1}}}`,
		`{"email":"fuzz@example.com","options":{"redirectTo":"//evil.test"}}`,
		`{"phoneNumber":"+15555550123"}`, `{"phoneNumber":"+15555550123","otp":"123456"}`,
		`{"refreshToken":"00000000-0000-4000-8000-000000000000"}`, `{"refreshToken":"x","all":true}`,
		`{"token":"a.b.c"}`, `{"code":"x","codeVerifier":"y"}`, `{"newPassword":"long-enough-pass","ticket":"passwordReset:x"}`,
		`{"ticket":"mfaTotp:x","otp":"000000"}`, `{"expiresAt":"2030-01-01T00:00:00Z","metadata":{}}`, `{"personalAccessToken":"x"}`,
		`{"code":"000000","activeMfaType":"totp"}`, `{"newEmail":"new@example.com"}`, `{"signInMethod":"email-password","email":"a@b.co","password":"correct-horse-battery"}`,
		`null`, `[]`, `{`, `"x"`, `{"email":"\u0000"}`, "{\"email\":\"\xff\"}",
	}
	for i := range fuzzPaths {
		for j, s := range seeds {
			if (i+j)%6 == 0 {
				f.Add(uint8(i), j%2 == 0, []byte(s))
			}
		}
	}
	e := mustEnv(f, func(tb testing.TB) string { return testenv.SQLiteURL(tb) }, setup{env: map[string]string{
		"AUTH_ANONYMOUS_USERS_ENABLED": "true", "AUTH_OTP_EMAIL_ENABLED": "true", "AUTH_MFA_ENABLED": "true", "AUTH_SMS_PROVIDER": "dev",
	}})
	token := e.signUp("fuzzer@example.com")["accessToken"].(string)
	f.Fuzz(func(t *testing.T, path uint8, signedIn bool, body []byte) {
		p := fuzzPaths[int(path)%len(fuzzPaths)]
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base+p, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if signedIn {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := e.client.Do(req)
		if err != nil {
			t.Fatalf("POST %s %q: %v (a panic drops the connection)", p, body, err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("POST %s %q: %d %s", p, body, res.StatusCode, raw)
		}
		if res.StatusCode >= 400 {
			// Two shapes (reference: nhost-auth.md): ErrorResponse, and the
			// {error, reason} of request validation and bearer checks.
			var m map[string]any
			err := json.Unmarshal(raw, &m)
			code, _ := m["error"].(string)
			msg, _ := m["message"].(string)
			reason, _ := m["reason"].(string)
			if err != nil || code == "" || !(m["status"] == float64(res.StatusCode) && msg != "" || reason != "") {
				t.Fatalf("POST %s %q: %d body %s is not the contract's error object", p, body, res.StatusCode, raw)
			}
		}
	})
}
