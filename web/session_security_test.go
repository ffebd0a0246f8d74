package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/web"
)

// cookie returns the browser's session cookie value ("" when none).
func (b *browser) cookie() string {
	u, _ := url.Parse(b.base)
	for _, c := range b.hc.Jar.Cookies(u) {
		if c.Name == auth.CookieName {
			return c.Value
		}
	}
	return ""
}

// withCookie returns a new browser of the app holding only the given
// session cookie, as an attacker who copied it would.
func (a *secApp) withCookie(value string) *browser {
	b := a.browser()
	u, _ := url.Parse(a.base)
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(u, []*http.Cookie{{Name: auth.CookieName, Value: value, Path: "/"}})
	b.hc.Jar = jar
	return b
}

// appStore decodes the app's cookies (the tests know its keys).
func appStore(t *testing.T) *auth.Store {
	t.Helper()
	st, err := auth.NewStore(testHashKey, testBlockKey, false)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func loadCookie(st *auth.Store, value string) auth.State {
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: auth.CookieName, Value: value})
	return st.Load(r)
}

// mustSignedOut asserts a browser is treated as signed out: the notes
// redirect to sign-in (never a 5xx), a write is refused and nothing changes.
func (a *secApp) mustSignedOut(t *testing.T, b *browser, csrf, what string) {
	t.Helper()
	before := a.snapshot()
	r := b.get("/notes")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/sign-in" {
		t.Fatalf("%s: GET /notes answered %d %q, want 303 to /sign-in", what, r.status, r.header.Get("Location"))
	}
	if r := b.get("/"); r.status >= 500 {
		t.Fatalf("%s: GET / answered %d", what, r.status)
	}
	r = b.do(http.MethodPost, "/notes", url.Values{"title": {"replayed"}, "content": {"x"}, "_csrf": {csrf}}, map[string]string{"X-CSRF-Token": csrf})
	if r.status < 300 || r.status >= 500 || r.header.Get("Location") == "/notes" {
		t.Fatalf("%s: POST /notes answered %d %q", what, r.status, r.header.Get("Location"))
	}
	if got := a.snapshot(); got != before {
		t.Fatalf("%s: a write went through:\nbefore %s\nafter  %s", what, before, got)
	}
}

// TestTamperedSessionCookieIsSignedOut: a signed-in cookie altered in any
// way (a changed byte, cut, extended, or re-encrypted under other keys
// with the real tokens inside) is ignored: the visitor is signed out,
// never served a 5xx, and cannot write.
func TestTamperedSessionCookieIsSignedOut(t *testing.T) {
	t.Parallel()
	a := mustSecApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"})
	a.signUp("ann@example.com")
	b := a.browser()
	b.signInAs("ann@example.com", secPassword)
	real := b.cookie()
	state := loadCookie(appStore(t), real)
	if !state.SignedIn() {
		t.Fatal("the app's cookie does not decode with its keys")
	}
	other, err := auth.NewStore([]byte(strings.Repeat("H", 32)), []byte(strings.Repeat("B", 32)), false)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	if err := other.Save(rec, httptest.NewRequest("GET", "/", nil), state); err != nil {
		t.Fatal(err)
	}
	flip := func(i int) string {
		c := []byte(real)
		if c[i] == 'A' {
			c[i] = 'B'
		} else {
			c[i] = 'A'
		}
		return string(c)
	}
	for name, v := range map[string]string{
		"byte changed at the start":  flip(3),
		"byte changed in the middle": flip(len(real) / 2),
		"byte changed near the end":  flip(len(real) - 4),
		"cut":                        real[:len(real)-10],
		"extended":                   real + "QUFB",
		"other keys, real tokens":    rec.Result().Cookies()[0].Value,
		"garbage":                    "not-a-cookie",
		"empty":                      "",
	} {
		t.Run(name, func(t *testing.T) { a.mustSignedOut(t, a.withCookie(v), state.CSRF, name) })
	}
	mustStatus(t, b.get("/notes"), http.StatusOK) // the real one still works
}

// TestSessionCookieChangesAtSignIn: signing in writes a new cookie with a
// new CSRF token, and the cookie the visitor held before (which an
// attacker may have planted) stays signed out.
func TestSessionCookieChangesAtSignIn(t *testing.T) {
	t.Parallel()
	a := mustSecApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"})
	a.signUp("ann@example.com")
	b := a.browser()
	mustStatus(t, b.get("/sign-in"), http.StatusOK)
	planted, plantedCSRF := b.cookie(), b.csrf
	if planted == "" || plantedCSRF == "" {
		t.Fatal("the sign-in page set no cookie or CSRF token")
	}
	b.signInAs("ann@example.com", secPassword)
	if b.cookie() == planted {
		t.Fatal("the session cookie did not change at sign-in")
	}
	if b.csrf == "" || b.csrf == plantedCSRF {
		t.Fatalf("the CSRF token did not change at sign-in (%q)", b.csrf)
	}
	if loadCookie(appStore(t), b.cookie()).CSRF == plantedCSRF {
		t.Fatal("the signed-in session keeps the pre-sign-in CSRF token")
	}
	a.mustSignedOut(t, a.withCookie(planted), plantedCSRF, "the pre-sign-in cookie")
}

// TestReplayedCookieAfterSignOut: sign-out revokes the refresh token on
// the server, so a copy of the cookie taken before sign-out cannot act
// once its access token has expired (AUTH_ACCESS_TOKEN_EXPIRES_IN=30 here;
// the app's clock is moved past it). Until then the copy still acts: a
// JWT cannot be recalled, and the app tolerates a refused refresh while
// the access token is valid (a concurrent request may have rotated it), so
// AUTH_ACCESS_TOKEN_EXPIRES_IN bounds that window.
func TestReplayedCookieAfterSignOut(t *testing.T) {
	t.Parallel()
	a := mustSecApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false", "AUTH_ACCESS_TOKEN_EXPIRES_IN": "30"})
	a.signUp("ann@example.com")
	b := a.browser()
	b.signInAs("ann@example.com", secPassword)
	mustStatus(t, b.get("/notes"), http.StatusOK)
	copied, csrf := b.cookie(), b.csrf
	// The copy works while the session lives: the replay below fails for
	// the sign-out, not for something else.
	if r := a.withCookie(copied).get("/notes"); r.status != http.StatusOK {
		t.Fatalf("a copy of a live cookie: %d", r.status)
	}
	mustStatus(t, b.post("/sign-out", nil), http.StatusSeeOther)
	a.clock.Advance(31 * time.Second)
	a.mustSignedOut(t, a.withCookie(copied), csrf, "cookie replayed after sign-out")
}

// TestRotatedRefreshTokenInOldCookieIsRefused: every refresh rotates the
// refresh token, so an older copy of the cookie is refused at its next
// refresh once its access token has expired, and signs nobody in; the
// browser holding the current cookie stays signed in (as in Nhost, a
// reuse does not revoke the session) and the stored session is not
// extended by the attempt. Within 30 s of a rotation the app hands the
// rotated result to requests that still carry the old token (auth's
// reuseWindow, for parallel HTMX requests of one page), so the clock is
// moved past that window too.
func TestRotatedRefreshTokenInOldCookieIsRefused(t *testing.T) {
	t.Parallel()
	a := mustSecApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false", "AUTH_ACCESS_TOKEN_EXPIRES_IN": "30"})
	a.signUp("ann@example.com")
	b := a.browser()
	b.signInAs("ann@example.com", secPassword)
	old, oldCSRF := b.cookie(), b.csrf
	st := appStore(t)
	mustStatus(t, b.get("/notes"), http.StatusOK)
	if loadCookie(st, b.cookie()).RefreshToken == loadCookie(st, old).RefreshToken {
		t.Fatal("the refresh token did not rotate")
	}
	sessions := func() string {
		t.Helper()
		q, _ := json.Marshal(map[string]string{"query": `{ authRefreshTokens { id expiresAt } }`})
		_, body := a.api("POST", "/v1/graphql", map[string]string{"X-Hasura-Admin-Secret": secAdminSecret}, string(q))
		if !strings.Contains(body, `"expiresAt"`) {
			t.Fatalf("sessions: %s", body)
		}
		return body
	}
	a.clock.Advance(61 * time.Second)
	before := sessions()
	a.mustSignedOut(t, a.withCookie(old), oldCSRF, "cookie with a rotated refresh token")
	if after := sessions(); after != before {
		t.Fatalf("the refused reuse changed the stored sessions:\nbefore %s\nafter  %s", before, after)
	}
	mustStatus(t, b.get("/notes"), http.StatusOK)
}

// openRedirects are targets that leave the site when a browser follows
// them, written as attackers write them.
func openRedirects(app string) []string {
	return []string{
		"//evil.example", "///evil.example", "https://evil.example", "http://evil.example/" + app,
		`/\evil.example`, `\\evil.example`, `\/evil.example`, "/%2F%2Fevil.example", "%2F%2Fevil.example",
		"https:evil.example", "HTTPS://EVIL.EXAMPLE", " https://evil.example", "javascript:alert(1)",
		"JaVaScRiPt:alert(1)", "java%0ascript:alert(1)", "data:text/html,<script>alert(1)</script>",
		app + "@evil.example", app + ".evil.example", "https://evil.example#" + app, "https://evil.example?" + app,
		"https://evil.example%2F" + strings.TrimPrefix(app, "http://"), "https://" + strings.TrimPrefix(app, "http://") + `\@evil.example`,
	}
}

// mustStayOnSite checks a response's redirect targets stay on the app (or
// go to its auth server, which sends the browser back to the app only).
func (a *secApp) mustStayOnSite(t *testing.T, r response, what string) {
	t.Helper()
	for _, h := range []string{"Location", "HX-Redirect", "HX-Location"} {
		loc := r.header.Get(h)
		if loc == "" {
			continue
		}
		onSite := strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") && !strings.HasPrefix(loc, `/\`)
		if strings.HasPrefix(loc, a.base+"/") || loc == a.base {
			onSite = true
		}
		if strings.HasPrefix(loc, a.backend+"/") {
			u, err := url.Parse(loc)
			onSite = err == nil
			if to := u.Query().Get("redirectTo"); to != "" && !strings.HasPrefix(to, a.base+"/") {
				onSite = false
			}
		}
		if !onSite {
			t.Errorf("%s: %s %q leaves the site", what, h, loc)
		}
	}
}

// TestNoOpenRedirect: the app takes no redirect parameter (after sign-in
// it always goes to its own pages), so every GET route and the sign-in
// POST, given next/redirect/redirectTo/returnTo in query and form, only
// ever redirect on-site. The auth API refuses a redirectTo outside
// AUTH_CLIENT_URL and the allow-list with the contract's 400
// redirectTo-not-allowed on every endpoint that takes one, and /verify
// and the provider sign-in never send the browser there.
func TestNoOpenRedirect(t *testing.T) {
	t.Parallel()
	a := mustSecApp(t, map[string]string{
		"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false", "AUTH_PROVIDER_GITHUB_ENABLED": "true",
		"AUTH_PROVIDER_GITHUB_CLIENT_ID": "id", "AUTH_PROVIDER_GITHUB_CLIENT_SECRET": "secret", "AUTH_OTP_EMAIL_ENABLED": "true",
	})
	a.signUp("ann@example.com")
	in, out := a.browser(), a.browser()
	in.signInAs("ann@example.com", secPassword)
	payloads := openRedirects(a.base)
	params := []string{"next", "redirect", "redirectTo", "redirect_to", "returnTo", "return_to", "continue", "url"}
	query := func(p string) string {
		v := url.Values{}
		for _, k := range params {
			v.Set(k, p)
		}
		return v.Encode()
	}

	for i, p := range payloads {
		q := query(p)
		for _, r := range a.routes {
			if r.Method != http.MethodGet || strings.Contains(r.Path, ":") || strings.Contains(r.Path, "*") {
				continue
			}
			a.mustStayOnSite(t, in.get(r.Path+"?"+q), "signed in GET "+r.Path+"?next="+p)
			a.mustStayOnSite(t, out.get(r.Path+"?"+q), "signed out GET "+r.Path+"?next="+p)
		}
		a.mustStayOnSite(t, out.get("/sign-in/provider/github?"+q), "provider "+p)
		_, rt := a.signUp(fmt.Sprintf("cb%d@example.com", i))
		cb := a.browser()
		a.mustStayOnSite(t, cb.get("/auth/callback?refreshToken="+rt+"&"+q), "callback "+p)
		a.mustStayOnSite(t, cb.get("/auth/callback?error=redirectTo-not-allowed&"+q), "callback error "+p)

		b := a.browser()
		form := url.Values{"email": {"ann@example.com"}, "password": {secPassword}}
		for _, k := range params {
			form.Set(k, p)
		}
		r := b.post("/sign-in?"+q, form)
		mustStatus(t, r, http.StatusSeeOther)
		a.mustStayOnSite(t, r, "sign-in "+p)
		r = b.htmx(http.MethodPost, "/sign-out?"+q, url.Values{}, "body")
		a.mustStayOnSite(t, r, "sign-out "+p)
	}

	_, annRT := a.signUp("ann2@example.com")
	st, body := a.api("POST", "/v1/auth/token", nil, `{"refreshToken":"`+annRT+`"}`)
	var sess struct{ AccessToken string }
	if st != 200 || json.Unmarshal([]byte(body), &sess) != nil {
		t.Fatalf("token: %d %s", st, body)
	}
	bearer := map[string]string{"Authorization": "Bearer " + sess.AccessToken}
	notAllowed := `{"status":400,"error":"redirectTo-not-allowed","message":"The value of \"options.redirectTo\" is not allowed."}`
	for _, p := range append(payloads, "/notes", "relative") {
		to, _ := json.Marshal(p)
		opts := `"options":{"redirectTo":` + string(to) + `}`
		for _, c := range []struct {
			path   string
			header map[string]string
			body   string
		}{
			{"/v1/auth/signup/email-password", nil, `{"email":"new@example.com","password":"` + secPassword + `",` + opts + `}`},
			{"/v1/auth/signin/passwordless/email", nil, `{"email":"ann@example.com",` + opts + `}`},
			{"/v1/auth/signin/otp/email", nil, `{"email":"ann@example.com",` + opts + `}`},
			{"/v1/auth/user/password/reset", nil, `{"email":"ann@example.com",` + opts + `}`},
			{"/v1/auth/user/password/reset", nil, `{"email":"nobody@example.com",` + opts + `}`},
			{"/v1/auth/user/email/send-verification-email", nil, `{"email":"ann@example.com",` + opts + `}`},
			{"/v1/auth/user/email/change", bearer, `{"newEmail":"ann3@example.com",` + opts + `}`},
		} {
			st, body := a.api("POST", c.path, c.header, c.body)
			var got, want any
			json.Unmarshal([]byte(body), &got)
			json.Unmarshal([]byte(notAllowed), &want)
			if st != http.StatusBadRequest || !reflect.DeepEqual(got, want) {
				t.Errorf("POST %s redirectTo %q: %d %s", c.path, p, st, body)
			}
		}
		// /verify answers a bad redirectTo by sending the browser to
		// AUTH_CLIENT_URL with an error; the provider sign-in refuses it
		// before leaving for the provider (which would carry it in state).
		noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, path := range []string{
			"/v1/auth/verify?type=passwordReset&ticket=passwordReset:00000000-0000-4000-8000-000000000000&redirectTo=" + url.QueryEscape(p),
			"/v1/auth/verify?type=emailVerify&ticket=x&redirectTo=" + url.QueryEscape(p),
		} {
			res, err := noFollow.Get(a.backend + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if loc := res.Header.Get("Location"); loc != "" && !strings.HasPrefix(loc, a.base+"/") && !strings.HasPrefix(loc, a.base+"?") && loc != a.base {
				t.Errorf("GET %s redirects to %q", path, loc)
			}
		}
		st, body := a.api("GET", "/v1/auth/signin/provider/github?redirectTo="+url.QueryEscape(p), nil, "")
		if st != http.StatusBadRequest || !strings.Contains(body, `"redirectTo-not-allowed"`) {
			t.Errorf("provider sign-in with redirectTo %q: %d %.300s", p, st, body)
		}
	}
	// Control: the app's own callback is allowed.
	to := a.base + "/auth/callback"
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(a.backend + "/v1/auth/signin/provider/github?redirectTo=" + url.QueryEscape(to))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "https://github.com/") {
		t.Fatalf("provider sign-in with an allowed redirectTo: %d %q", res.StatusCode, loc)
	}
	if st, body := a.api("POST", "/v1/auth/user/password/reset", nil, `{"email":"ann@example.com","options":{"redirectTo":"`+to+`"}}`); st != 200 {
		t.Fatalf("allowed redirectTo refused: %d %s", st, body)
	}
}

// TestSessionCookieAttributes: the session cookie is HttpOnly (no script
// reads it), SameSite=Lax and scoped to /, and behind an https public URL
// it is Secure and the app sends HSTS.
func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	for _, public := range []string{"", "https://notes.example"} {
		t.Run("public URL "+public, func(t *testing.T) {
			var mod func(*web.Options)
			if public != "" {
				mod = func(o *web.Options) { o.PublicURL = public }
			}
			b, _ := mustApp(t, nil, mod)
			r := b.get("/sign-in")
			mustStatus(t, r, http.StatusOK)
			var c *http.Cookie
			for _, sc := range (&http.Response{Header: r.header}).Cookies() {
				if sc.Name == auth.CookieName {
					c = sc
				}
			}
			if c == nil {
				t.Fatalf("no session cookie in %v", r.header["Set-Cookie"])
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				t.Errorf("cookie %q: HttpOnly %v, SameSite %v, Path %q", r.header.Get("Set-Cookie"), c.HttpOnly, c.SameSite, c.Path)
			}
			https := public != ""
			if c.Secure != https {
				t.Errorf("cookie Secure = %v behind %q", c.Secure, public)
			}
			if hsts := r.header.Get("Strict-Transport-Security"); (hsts != "") != https {
				t.Errorf("Strict-Transport-Security %q behind %q", hsts, public)
			}
		})
	}
}

// TestSignOutEndsAdminAccess: the admin console's unlock lives in the
// session, so signing out (or signing in as someone else) ends it.
func TestSignOutEndsAdminAccess(t *testing.T) {
	t.Parallel()
	a := mustSecApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"})
	a.signUp("ann@example.com")
	a.signUp("bob@example.com")
	b := a.browser()
	b.signInAs("ann@example.com", secPassword)
	mustStatus(t, b.post("/admin", url.Values{"secret": {secAdminSecret}}), http.StatusSeeOther)
	mustStatus(t, b.get("/admin/users"), http.StatusOK)
	mustStatus(t, b.post("/sign-out", nil), http.StatusSeeOther)
	if r := b.get("/admin/users"); r.status == http.StatusOK {
		t.Fatal("the admin console is still open after sign-out")
	}
	mustStatus(t, b.post("/admin", url.Values{"secret": {secAdminSecret}}), http.StatusSeeOther)
	b.signInAs("bob@example.com", secPassword)
	if r := b.get("/admin/users"); r.status == http.StatusOK {
		t.Fatal("the admin console stays open across a sign-in")
	}
}
