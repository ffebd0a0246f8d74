package authserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestBadInputNeverFails500 sends malformed and mistyped bodies to every
// JSON endpoint: each answers with a 4xx in the contract's shape, never a
// 5xx or a panic.
func TestBadInputNeverFails500(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_ANONYMOUS_USERS_ENABLED": "true", "AUTH_OTP_EMAIL_ENABLED": "true", "AUTH_MFA_ENABLED": "true"}})
		s := e.signUp("bad@example.com")
		paths := []string{
			"/signup/email-password", "/signin/email-password", "/signin/passwordless/email", "/signup/passwordless/email",
			"/signin/passwordless/sms", "/signup/passwordless/sms", "/signin/passwordless/sms/otp", "/signin/otp/email",
			"/signup/otp/email", "/signin/otp/email/verify", "/signin/anonymous", "/token", "/token/verify", "/token/exchange",
			"/signout", "/user/password", "/user/password/reset", "/user/email/send-verification-email",
			"/user/email/change", "/user/deanonymize", "/pat", "/signin/pat", "/user/mfa", "/signin/mfa/totp",
		}
		bodies := []string{
			`null`, `[]`, `"text"`, `42`, `{"email":{}}`, `{"email":["a"]}`, `{"options":"x"}`, `{"options":{"allowedRoles":"user"}}`,
			`{"email":"a@b.co","options":{"metadata":"x"}}`, `{"refreshToken":{}}`, `{"all":"yes"}`, `{"phoneNumber":null}`,
			`{"email":"\u0000@x.y"}`, "{\"email\":\"\xff\xfe\"}", `{"newPassword":123}`, `{"expiresAt":5}`, `{`, `}`,
			`{"email":"` + strings.Repeat("a", 300) + `@example.com","password":"correct-horse-battery"}`,
			`{"displayName":"` + strings.Repeat("x", 100) + `"}`,
			`{"email":"nul@example.com","password":"correct-horse-battery","options":{"metadata":{"a":"\u0000"}}}`,
			`{"phoneNumber":"+15555550123","options":{"metadata":{"\u0000":1}}}`,
			`{"email":"nul2@example.com","password":"pass\u0000word-long"}`,
			`{"newPassword":"long-enough-pass","ticket":"passwordReset:\u0000"}`,
			`{"newPassword":"long-enough-pass","ticket":"passwordReset:00000000-0000-4000-8000-00000000000\u0000"}`,
		}
		for _, p := range paths {
			for _, b := range bodies {
				for _, h := range []map[string]string{nil, bearer(s["accessToken"].(string))} {
					r := e.do(http.MethodPost, p, b, h)
					if r.status >= 500 || r.status < 400 && r.status != 200 {
						t.Errorf("POST %s %.40q: %d %s", p, b, r.status, r.raw)
						continue
					}
					if r.status >= 400 {
						var m map[string]any
						if err := json.Unmarshal(r.raw, &m); err != nil || m["error"] == nil {
							t.Errorf("POST %s %.40q: %d body %s is not an error object", p, b, r.status, r.raw)
						}
					}
				}
			}
		}
		for _, q := range []string{"/verify", "/verify?ticket=verifyEmail:x", "/verify?redirectTo=javascript:alert(1)&ticket=a:b",
			"/signin/provider/github?metadata=%7Bbad", "/signin/provider/google?locale=toolong", "/signin/provider/%00",
			"/signin/provider/github/callback?state=a.b.c", "/signin/provider/github/callback",
			"/verify?ticket=verifyEmail:%00&redirectTo=" + testClientURL, "/verify?ticket=passwordReset:00000000-0000-4000-8000-00000000000%00"} {
			if r := e.get(q); r.status >= 500 {
				t.Errorf("GET %s: %d %s", q, r.status, r.raw)
			}
		}
	})
}
