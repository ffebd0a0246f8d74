package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/web"
)

const (
	secAdminSecret = "admin-secret"
	secPassword    = "correct horse battery"
)

// secApp is the app in front of the real embedded backend, each over real
// HTTP, with the app's route table.
type secApp struct {
	t       *testing.T
	base    string // the app
	backend string // the embedded backend (/v1/auth, /v1/graphql)
	routes  []*echo.Route
	clock   *testClock
	be      *testBackend
}

// testClock is the app's settable clock: the real time plus an offset.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the app's clock (not the backend's) forward.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// mustSecApp starts the real backend (SQLite, its own database) and the
// app in front of it (mustApp), on the settable clock. env adds AUTH_*
// settings.
func mustSecApp(t *testing.T, env map[string]string) *secApp {
	t.Helper()
	clock := &testClock{}
	b, be := mustApp(t, env, func(o *web.Options) { o.Now = clock.Now })
	e, ok := b.app.(*echo.Echo)
	if !ok {
		t.Fatalf("web.New returned a %T; the security tests walk an *echo.Echo's route table", b.app)
	}
	return &secApp{t: t, base: b.base, backend: be.URL, routes: e.Routes(), clock: clock, be: be}
}

// browser returns a new cookie-keeping client of the app.
func (a *secApp) browser() *browser {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: followResend}
	return &browser{t: a.t, base: a.base, hc: hc, be: a.be}
}

// api calls the backend directly and returns status and body.
func (a *secApp) api(method, path string, header map[string]string, body string) (int, string) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.backend+path, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(raw)
}

// signUp creates a user through the auth API and returns its id and
// refresh token.
func (a *secApp) signUp(email string) (id, refreshToken string) {
	a.t.Helper()
	st, body := a.api("POST", "/v1/auth/signup/email-password", nil, `{"email":"`+email+`","password":"`+secPassword+`"}`)
	var p struct {
		Session *struct {
			RefreshToken string
			User         struct{ ID string }
		}
	}
	if st != 200 || json.Unmarshal([]byte(body), &p) != nil || p.Session == nil {
		a.t.Fatalf("sign-up %s: %d %s", email, st, body)
	}
	return p.Session.User.ID, p.Session.RefreshToken
}

// snapshot is everything a forged request could change, read with the
// admin secret: users (with password hashes, roles, flags) and notes.
func (a *secApp) snapshot() string {
	a.t.Helper()
	q, _ := json.Marshal(map[string]string{"query": `{
		users(order_by: {email: asc}) { id email disabled emailVerified passwordHash defaultRole displayName roles(order_by: {role: asc}) { role } }
		notes(order_by: {created_at: asc}) { id user_id title content is_public updated_at } }`})
	st, body := a.api("POST", "/v1/graphql", map[string]string{"X-Hasura-Admin-Secret": secAdminSecret}, string(q))
	if st != 200 || !strings.HasPrefix(body, `{"data"`) {
		a.t.Fatalf("snapshot: %d %s", st, body)
	}
	return body
}

// fill gives a route's path parameters real values.
func fill(path string, params map[string]string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") || p == "*" {
			parts[i] = params[p]
		}
	}
	return strings.Join(parts, "/")
}

var stateChanging = []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// TestCSRFOnEveryStateChangingRoute walks the app's route table: every
// POST, PUT, PATCH and DELETE route, sent by a signed-in user who has
// also unlocked /admin, without a token, with a wrong token, and with the
// right token from another origin, answers 403 and changes nothing: not
// the database, not the session. A request with the right token from the
// app's own origin does go through, so the refusals are the CSRF check's.
func TestCSRFOnEveryStateChangingRoute(t *testing.T) {
	t.Parallel()
	a := mustSecApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"})
	a.signUp("ann@example.com")
	bobID, _ := a.signUp("bob@example.com")
	b := a.browser()
	b.signInAs("ann@example.com", secPassword)
	mustStatus(t, b.post("/notes", url.Values{"title": {"ann's note"}, "content": {"words"}}), http.StatusSeeOther)
	mustStatus(t, b.post("/admin", url.Values{"secret": {secAdminSecret}}), http.StatusSeeOther)
	var snap struct {
		Data struct{ Notes []struct{ ID string } }
	}
	before := a.snapshot()
	json.Unmarshal([]byte(before), &snap)
	if len(snap.Data.Notes) != 1 {
		t.Fatalf("setup: %s", before)
	}
	params := map[string]string{":id": snap.Data.Notes[0].ID, ":provider": "github", "*": "x"}
	adminParams := map[string]string{":id": bobID}
	token := b.csrf
	if token == "" {
		b.get("/notes")
		token = b.csrf
	}
	form := func(csrf string) url.Values {
		v := url.Values{"title": {"pwned"}, "content": {"pwned"}, "is_public": {"true"}, "email": {"eve@example.com"},
			"password": {"eve-password-1"}, "newPassword": {"eve-password-1"}, "secret": {secAdminSecret}, "role": {"me"},
			"roles": {"admin"}, "phone": {"+15555550123"}, "otp": {"123456"}, "user_id": {bobID}}
		if csrf != "" {
			v.Set("_csrf", csrf)
		}
		return v
	}
	attacks := []struct {
		name   string
		form   url.Values
		header map[string]string
	}{
		{"no token", form(""), map[string]string{"Sec-Fetch-Site": "same-origin"}},
		{"wrong token", form(auth.NewToken()), map[string]string{"Sec-Fetch-Site": "same-origin", "X-CSRF-Token": auth.NewToken()}},
		{"empty token header", form(""), map[string]string{"X-CSRF-Token": "", "HX-Request": "true"}},
		{"right token, cross-site fetch", form(token), map[string]string{"Sec-Fetch-Site": "cross-site", "X-CSRF-Token": token}},
		{"right token, same-site fetch (a sibling subdomain)", form(token), map[string]string{"Sec-Fetch-Site": "same-site", "X-CSRF-Token": token}},
		{"right token, foreign Origin", form(token), map[string]string{"Origin": "http://evil.example", "X-CSRF-Token": token}},
		{"right token, null Origin", form(token), map[string]string{"Origin": "null", "X-CSRF-Token": token}},
	}
	walked := 0
	for _, r := range a.routes {
		if !slices.Contains(stateChanging, r.Method) {
			continue
		}
		walked++
		p := params
		if strings.HasPrefix(r.Path, "/admin/users/") {
			p = adminParams
		}
		path := fill(r.Path, p)
		for _, at := range attacks {
			body := at.form
			if r.Method == http.MethodDelete {
				body = nil
			}
			res := b.do(r.Method, path, body, at.header)
			if res.status != http.StatusForbidden {
				t.Errorf("%s %s (%s): status %d, want 403", r.Method, r.Path, at.name, res.status)
			}
			if got := a.snapshot(); got != before {
				t.Fatalf("%s %s (%s) changed the data:\nbefore %s\nafter  %s", r.Method, r.Path, at.name, before, got)
			}
		}
	}
	t.Logf("%d state-changing routes walked", walked)
	if walked < 10 {
		t.Fatalf("only %d state-changing routes in the table", walked)
	}
	// The session survived every attempt: still signed in, admin still unlocked.
	mustStatus(t, b.get("/notes"), http.StatusOK)
	mustStatus(t, b.get("/admin/users"), http.StatusOK)

	// Control: the same request with the right token from the app's origin works.
	res := b.do(http.MethodPost, "/notes", form(b.csrf), map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": a.base})
	mustStatus(t, res, http.StatusSeeOther)
	if a.snapshot() == before {
		t.Fatal("the control request changed nothing: the attacks above prove nothing")
	}
}

// securityHeadersOK reports what is missing of the headers every response
// carries.
func securityHeadersMissing(h http.Header) []string {
	var missing []string
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"} {
		if !strings.Contains(csp, d) {
			missing = append(missing, "CSP "+d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		missing = append(missing, "CSP without unsafe-inline/unsafe-eval")
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		missing = append(missing, "X-Content-Type-Options: nosniff")
	}
	if h.Get("X-Frame-Options") != "DENY" && !strings.Contains(csp, "frame-ancestors 'none'") {
		missing = append(missing, "X-Frame-Options or frame-ancestors")
	}
	if rp := h.Get("Referrer-Policy"); rp == "" || rp == "unsafe-url" || rp == "no-referrer-when-downgrade" {
		missing = append(missing, "Referrer-Policy")
	}
	return missing
}

var staticRef = regexp.MustCompile(`(/static/[^"'?#\s]+)`)

// TestSecurityHeadersOnEveryResponse walks every GET route of the table,
// signed in (with /admin unlocked) and signed out, and adds the error
// pages (404, 403, 405, a redirect) and the static assets: each response
// carries the CSP and its companions.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	a := mustSecApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"})
	a.signUp("ann@example.com")
	in := a.browser()
	in.signInAs("ann@example.com", secPassword)
	mustStatus(t, in.post("/notes", url.Values{"title": {"n"}, "content": {"c"}}), http.StatusSeeOther)
	mustStatus(t, in.post("/admin", url.Values{"secret": {secAdminSecret}}), http.StatusSeeOther)
	page := in.get("/notes")
	asset := staticRef.FindString(page.body)
	if asset == "" {
		t.Fatalf("no static asset on /notes:\n%.2000s", page.body)
	}
	var snap struct {
		Data struct{ Notes []struct{ ID string } }
	}
	json.Unmarshal([]byte(a.snapshot()), &snap)
	params := map[string]string{":id": snap.Data.Notes[0].ID, ":provider": "github", "*": strings.TrimPrefix(asset, "/static/")}
	out := a.browser()

	var paths []string
	for _, r := range a.routes {
		if r.Method == http.MethodGet {
			paths = append(paths, fill(r.Path, params))
		}
	}
	paths = append(paths, "/no-such-page", "/notes/00000000-0000-4000-8000-000000000000", "/static/no-such-file.js", asset, "/public/not-a-uuid")
	check := func(who string, b *browser, method, path string, form url.Values, hdr map[string]string) {
		t.Helper()
		res := b.do(method, path, form, hdr)
		if res.status >= 500 {
			t.Errorf("%s %s (%s): %d %.300s", method, path, who, res.status, res.body)
		}
		if m := securityHeadersMissing(res.header); len(m) > 0 {
			t.Errorf("%s %s (%s, %d) lacks %v", method, path, who, res.status, m)
		}
	}
	for _, p := range paths {
		check("signed in", in, http.MethodGet, p, nil, nil)
		check("signed out", out, http.MethodGet, p, nil, nil)
		check("htmx", in, http.MethodGet, p, nil, map[string]string{"HX-Request": "true"})
	}
	check("head", out, http.MethodHead, "/healthz", nil, nil)
	check("403", in, http.MethodPost, "/notes", url.Values{"title": {"x"}}, nil)
	check("403 htmx", in, http.MethodPost, "/notes", url.Values{"title": {"x"}}, map[string]string{"HX-Request": "true"})
	check("405", in, http.MethodPatch, "/sign-in", nil, nil)
	check("bad form", in, http.MethodPost, "/sign-in", url.Values{"email": {"%zz"}}, map[string]string{"X-CSRF-Token": in.csrf})
	check("too large", in, http.MethodPost, "/notes", url.Values{"title": {strings.Repeat("x", 2<<20)}}, map[string]string{"X-CSRF-Token": in.csrf})
}

// TestSearchCannotReachOtherUsersNotes: search terms (the one free text
// the app sends into a GraphQL filter besides note fields) carrying SQL,
// LIKE and GraphQL syntax, in the notes list, sorted and paged, and in
// the public list, never show another user's note or a private one, and
// never fail with a 5xx. Note titles and bodies with the same payloads
// are stored and shown as text.
func TestSearchCannotReachOtherUsersNotes(t *testing.T) {
	t.Parallel()
	a := mustSecApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"})
	a.signUp("ann@example.com")
	a.signUp("bob@example.com")
	bob := a.browser()
	bob.signInAs("bob@example.com", secPassword)
	mustStatus(t, bob.post("/notes", url.Values{"title": {"bob-private-zebra"}, "content": {"bob-private-body"}}), http.StatusSeeOther)
	ann := a.browser()
	ann.signInAs("ann@example.com", secPassword)
	payloads := []string{
		`%`, `_`, `\`, `%' OR '1'='1`, `' OR 1=1 --`, `'; DROP TABLE notes; --`, `") { id } notes(where: {}) { title } #`,
		`"}}, {user_id: {_neq: ""}}]}) { title } }`, `$where`, `{"_or":[{}]}`, `*/ OR 1=1 /*`, "\u0000", "\uff07 OR 1=1",
		`zebra%`, `%zebra%`, `bob-private`,
	}
	for _, p := range payloads {
		mustStatus(t, ann.post("/notes", url.Values{"title": {"ann " + p}, "content": {p}}), http.StatusSeeOther)
	}
	for _, p := range payloads {
		q := url.QueryEscape(p)
		for _, path := range []string{"/notes?q=" + q, "/notes?sort=title&q=" + q, "/notes?page=2&q=" + q, "/public?q=" + q} {
			r := ann.get(path)
			if r.status >= 500 {
				t.Errorf("GET %s: %d", path, r.status)
			}
			if strings.Contains(r.body, "bob-private-zebra") || strings.Contains(r.body, "bob-private-body") {
				t.Errorf("GET %s shows bob's private note", path)
			}
		}
	}
	if got := a.snapshot(); !strings.Contains(got, "bob-private-zebra") {
		t.Fatalf("bob's note is gone: %s", got)
	}
	// Control: the search does find bob's note for bob.
	if r := bob.get("/notes?q=zebra"); !strings.Contains(r.body, "bob-private-zebra") {
		t.Fatalf("bob's own search misses his note:\n%.2000s", r.body)
	}
}
