package web_test

import (
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/notes-app/notes/web"
)

func TestCSRF(t *testing.T) {
	t.Parallel()
	b, be := mustApp(t, nil, nil)
	be.mustUser("bob@example.com", testPassword)
	b.get("/sign-in")
	form := url.Values{"email": {"bob@example.com"}, "password": {testPassword}}
	tests := []struct {
		name string
		form url.Values
		hdr  map[string]string
	}{
		{"missing token", form, nil},
		{"bad token", url.Values{"email": {"x@example.com"}, "password": {"p"}, "_csrf": {"nope"}}, nil},
		{"cross-site", url.Values{"email": {"x@example.com"}, "password": {"p"}, "_csrf": {b.csrf}}, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"foreign origin", url.Values{"email": {"x@example.com"}, "password": {"p"}, "_csrf": {b.csrf}}, map[string]string{"Origin": "http://evil.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/sign-in", "/sign-up", "/sign-in/magic-link", "/sign-in/sms", "/sign-in/sms/verify", "/sign-in/reset-password", "/sign-out", "/notes", "/account/password", "/token/refresh"} {
				r := b.do("POST", path, tt.form, tt.hdr)
				mustStatus(t, r, http.StatusForbidden)
				mustTestID(t, r, "error-page")
			}
		})
	}
	t.Run("no cookie yet", func(t *testing.T) {
		fresh := b.fork()
		r := fresh.do("POST", "/sign-in", url.Values{"_csrf": {b.csrf}, "email": {"bob@example.com"}, "password": {testPassword}}, nil)
		mustStatus(t, r, http.StatusForbidden)
	})
	t.Run("header token for htmx", func(t *testing.T) {
		r := b.htmx("POST", "/sign-in", form, "")
		mustStatus(t, r, http.StatusOK)
		mustHeader(t, r, "HX-Redirect", "/notes")
	})
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	b, be := mustApp(t, nil, nil)
	be.mustUser("bob@example.com", testPassword)
	if st := be.call("POST", "/v1/auth/signup/email-password", "", map[string]string{"email": "unverified@example.com", "password": testPassword}, nil); st != http.StatusOK {
		t.Fatalf("sign up: %d", st)
	}
	r := b.get("/sign-in")
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "sign-in-form", "magic-link-form", "sms-form", "provider-github")
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Request-Id"} {
		if r.header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	if c := r.header.Get("Set-Cookie"); !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
		t.Errorf("cookie = %q", c)
	}
	tests := []struct {
		name, email, password string
		status                int
		ids                   []string
	}{
		{"empty", "", "", 422, []string{"sign-in-form", "error-email", "error-password"}},
		{"bad email", "nope", "x", 422, []string{"sign-in-form", "error-email"}},
		{"wrong password", "bob@example.com", "wrong", 422, []string{"sign-in-form", "form-error"}},
		{"unverified", "unverified@example.com", testPassword, 200, []string{"check-email-page", "link-dev-inbox"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.post("/sign-in", url.Values{"email": {tt.email}, "password": {tt.password}})
			mustStatus(t, r, tt.status)
			mustTestID(t, r, tt.ids...)
			if strings.Contains(r.body, testPassword) {
				t.Fatal("password echoed back")
			}
		})
	}
	t.Run("rate limited", func(t *testing.T) {
		flood, _ := mustApp(t, map[string]string{"AUTH_RATE_LIMIT_ENABLE": "true", "AUTH_RATE_LIMIT_BRUTE_FORCE_BURST": "1"}, nil)
		mustStatus(t, flood.post("/sign-in", url.Values{"email": {"flood@example.com"}, "password": {testPassword}}), http.StatusUnprocessableEntity)
		r := flood.post("/sign-in", url.Values{"email": {"flood@example.com"}, "password": {testPassword}})
		mustStatus(t, r, http.StatusTooManyRequests)
		mustTestID(t, r, "sign-in-form", "form-error")
	})
	b.signIn("bob")
	r = b.get("/notes")
	mustTestID(t, r, "notes-page", "user-name", "user-role")
	mustStatus(t, b.get("/sign-in"), http.StatusSeeOther)

	r = b.post("/sign-out", nil)
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/sign-in")
	for _, path := range []string{"/notes", "/account/password", "/notes/" + missingID} {
		r = b.get(path)
		mustStatus(t, r, http.StatusSeeOther)
		mustHeader(t, r, "Location", "/sign-in")
	}
}

func TestSignUp(t *testing.T) {
	t.Parallel()
	b, be := mustApp(t, nil, nil)
	be.mustUser("taken@example.com", testPassword)
	b.get("/sign-up")
	tests := []struct {
		name, email, password string
		status                int
		ids                   []string
	}{
		{"empty", "", "", 422, []string{"sign-up-form", "error-email", "error-password"}},
		{"taken", "taken@example.com", testPassword, 422, []string{"sign-up-form", "error-email"}},
		{"needs verification", "new@example.com", testPassword, 200, []string{"check-email-page", "check-email-address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.post("/sign-up", url.Values{"email": {tt.email}, "password": {tt.password}})
			mustStatus(t, r, tt.status)
			mustTestID(t, r, tt.ids...)
		})
	}
}

func TestPasswordless(t *testing.T) {
	t.Parallel()
	b, _ := mustApp(t, nil, nil)
	b.get("/sign-in")
	r := b.post("/sign-in/magic-link", url.Values{"email": {"bad"}})
	mustStatus(t, r, 422)
	mustTestID(t, r, "magic-link-form", "error-magic")
	r = b.post("/sign-in/magic-link", url.Values{"email": {"amy@example.com"}})
	mustStatus(t, r, 200)
	mustTestID(t, r, "check-email-page")

	r = b.post("/sign-in/sms", url.Values{"phone": {"12"}})
	mustStatus(t, r, 422)
	mustTestID(t, r, "sms-form", "error-phone")
	r = b.post("/sign-in/sms", url.Values{"phone": {"+15551234567"}})
	mustStatus(t, r, 200)
	mustTestID(t, r, "sms-verify-form")
	r = b.post("/sign-in/sms/verify", url.Values{"phone": {"+15551234567"}, "otp": {"x"}})
	mustStatus(t, r, 422)
	mustTestID(t, r, "sms-verify-form", "error-otp")
	r = b.post("/sign-in/sms/verify", url.Values{"phone": {"+15551234567"}, "otp": {"000000"}})
	mustStatus(t, r, 422)
	mustTestID(t, r, "error-otp")
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(b.get("/dev/inbox").body)
	if code == "" || code == "000000" {
		t.Fatalf("SMS code in the inbox: %q", code)
	}
	r = b.post("/sign-in/sms/verify", url.Values{"phone": {"+15551234567"}, "otp": {code}})
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/notes")
}

func TestCallbackAndProviders(t *testing.T) {
	t.Parallel()
	b, be := mustApp(t, nil, nil)
	r := b.get("/sign-in/provider/github")
	mustStatus(t, r, http.StatusSeeOther)
	loc, _ := url.Parse(r.header.Get("Location"))
	if q := loc.Query(); !strings.HasPrefix(loc.String(), be.URL+"/v1/auth/signin/provider/github?") ||
		!strings.HasPrefix(q.Get("redirectTo"), b.base+"/auth/callback?flow=") || len(q.Get("codeChallenge")) != 43 {
		t.Fatalf("Location = %q", loc)
	}
	mustStatus(t, b.get("/sign-in/provider/myspace"), http.StatusNotFound)

	for _, q := range []string{"?error=invalid-ticket&errorDescription=%3Cscript%3E", "?refreshToken=rt-dead", ""} {
		r := b.get("/auth/callback" + q)
		mustStatus(t, r, http.StatusSeeOther)
		mustHeader(t, r, "Location", "/sign-in")
	}
	r = b.get("/sign-in")
	if strings.Contains(r.body, "<script>") {
		t.Fatal("errorDescription rendered")
	}
	// A refresh-token hand-off signs nobody in (login CSRF, see
	// TestLoginCSRFRefused); a verification link says so and asks to sign in.
	be.mustUser("carol@example.com", testPassword)
	r = b.get("/auth/callback?refreshToken=" + be.mustSession("carol@example.com", testPassword).RefreshToken + "&type=verifyEmail")
	b.mustRefused(r, "Your email is verified. Sign in to continue.")
}

func TestDevInbox(t *testing.T) {
	t.Parallel()
	b, _ := mustApp(t, nil, nil)
	mustStatus(t, b.post("/sign-up", url.Values{"email": {"a@example.com"}, "password": {testPassword}}), http.StatusOK)
	r := b.get("/dev/inbox")
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "dev-inbox-page", "inbox-message", "inbox-link")

	off, _ := mustApp(t, nil, func(o *web.Options) { o.DevInbox = false })
	mustStatus(t, off.get("/dev/inbox"), http.StatusNotFound)
}

func TestNew(t *testing.T) {
	t.Parallel()
	if _, err := web.New(web.Options{PublicURL: "ftp://x"}); err == nil {
		t.Fatal("bad options accepted")
	}
}

func TestDevInboxAccess(t *testing.T) {
	t.Parallel()
	b, _ := mustApp(t, nil, nil)
	tests := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"loopback", nil, http.StatusOK},
		{"through a proxy", map[string]string{"X-Forwarded-For": "203.0.113.9"}, http.StatusNotFound},
		{"through a proxy with the secret", map[string]string{"X-Forwarded-For": "203.0.113.9", "X-Hasura-Admin-Secret": "admin-secret"}, http.StatusOK},
		{"wrong secret", map[string]string{"X-Hasura-Admin-Secret": "nope"}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustStatus(t, b.do("GET", "/dev/inbox", nil, tt.hdr), tt.want)
		})
	}
	mustStatus(t, b.do("HEAD", "/healthz", nil, nil), http.StatusOK)

	// Behind a trusted proxy (the test client plays it), a forged
	// loopback hop before the proxy's own entry opens nothing.
	_, lo, _ := net.ParseCIDR("127.0.0.0/8")
	proxied, _ := mustApp(t, nil, func(o *web.Options) { o.TrustedProxies = []*net.IPNet{lo} })
	mustStatus(t, proxied.do("GET", "/dev/inbox", nil, map[string]string{"X-Forwarded-For": "127.0.0.1, 203.0.113.9"}), http.StatusNotFound)
	mustStatus(t, proxied.do("GET", "/dev/inbox", nil, nil), http.StatusOK)
}

// TestLogsHoldNoSecrets runs a session and checks that the log never holds
// a password, a token, the cookie or a note's body.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	b, _ := mustApp(t, nil, func(o *web.Options) { o.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	b.post("/sign-in", url.Values{"email": {"bob@example.com"}, "password": {"wrong-pass"}})
	b.signIn("bob")
	b.post("/notes", url.Values{"title": {"t"}, "content": {"very-private-body"}})
	st := b.state()
	b.get("/auth/callback?refreshToken=rt-dead")
	b.post("/sign-out", nil)
	out := logs.String()
	if !strings.Contains(out, "route=/notes") {
		t.Fatalf("no request lines logged:\n%s", out)
	}
	u, _ := url.Parse(b.base)
	secrets := []string{"wrong-pass", testPassword, st.AccessToken, st.RefreshToken, "rt-dead", "very-private-body", "eyJ"}
	for _, c := range b.hc.Jar.Cookies(u) {
		secrets = append(secrets, c.Value)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("log holds %q", s)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
