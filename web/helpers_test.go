package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/backend"
	"github.com/notes-app/notes/backend/authserver"
	"github.com/notes-app/notes/internal/testenv"
	"github.com/notes-app/notes/nhost"
	"github.com/notes-app/notes/web"
)

// browser is a cookie-keeping client of the app that does not follow redirects.
type browser struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
	be   *testBackend
	app  http.Handler // the app under test (web.New's handler)
}

type response struct {
	status int
	header http.Header
	body   string
}

const (
	testAdminSecret = "admin-secret"
	testJWTSecret   = `{"type":"HS256","key":"0123456789abcdef0123456789abcdef-web-test"}`
	testPassword    = "password1"
)

var (
	testHashKey  = []byte(strings.Repeat("h", 32))
	testBlockKey = []byte(strings.Repeat("b", 32))
)

// testBackend is the real embedded backend (auth server and GraphQL engine
// over a fresh SQLite file, or the database withDatabase names), served
// over real HTTP for one test.
type testBackend struct {
	t       *testing.T
	URL     string
	srv     *httptest.Server
	handler http.Handler
}

// mustBackend starts the real backend. env holds AUTH_* variables (the
// auth server's defaults apply, with the SMS provider "dev") and may set
// HASURA_GRAPHQL_JWT_SECRET; opts adjust its options (OAuth endpoints).
func mustBackend(t *testing.T, env map[string]string, opts ...func(*backend.Options)) *testBackend {
	t.Helper()
	vars := map[string]string{"AUTH_SMS_PROVIDER": "dev", "HASURA_GRAPHQL_JWT_SECRET": testJWTSecret}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := authserver.LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	o := backend.Options{
		DatabaseURL:      testenv.SQLiteURL(t),
		Project:          nhost.FS,
		AdminSecret:      testAdminSecret,
		JWTSecret:        vars["HASURA_GRAPHQL_JWT_SECRET"],
		UnauthorizedRole: "public",
		Auth:             cfg,
	}
	for _, opt := range opts {
		opt(&o)
	}
	be, err := backend.New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { be.Close() })
	srv := httptest.NewServer(be)
	t.Cleanup(srv.Close)
	return &testBackend{t: t, URL: srv.URL, srv: srv, handler: be}
}

// withDatabase makes the backend use the database at url (a dialect's
// fresh database) instead of its own SQLite file.
func withDatabase(url string) func(*backend.Options) {
	return func(o *backend.Options) { o.DatabaseURL = url }
}

// onEachDialect runs test once per database kind (testenv.Dialects), each
// run in a subtest named for it with a fresh database of its own, which db
// hands to mustStack or mustApp. Tests whose outcome depends on how roles
// and permissions compile to SQL use it; the rest stay on SQLite, so the
// suite does not run twice.
func onEachDialect(t *testing.T, test func(t *testing.T, db func(*backend.Options))) {
	t.Helper()
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) { test(t, withDatabase(d.URL(t))) })
	}
}

// mustApp runs the app in front of a real backend of its own (see
// mustBackend; env's AUTH_CLIENT_URL is the app) and returns a browser on
// it. mod adjusts the app's options before it starts, beOpts the backend's.
func mustApp(t *testing.T, env map[string]string, mod func(*web.Options), beOpts ...func(*backend.Options)) (*browser, *testBackend) {
	t.Helper()
	var app http.Handler
	appSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { app.ServeHTTP(w, r) }))
	t.Cleanup(appSrv.Close)
	vars := map[string]string{"AUTH_CLIENT_URL": appSrv.URL}
	for k, v := range env {
		vars[k] = v
	}
	be := mustBackend(t, vars, beOpts...)
	opts := web.Options{
		PublicURL:       appSrv.URL,
		SessionHashKey:  testHashKey,
		SessionBlockKey: testBlockKey,
		Auth:            auth.New(be.URL+"/v1/auth", nil),
		GraphQLURL:      be.URL + "/v1/graphql",
		Providers:       []string{"github"},
		DevInbox:        true,
		AdminSecret:     testAdminSecret,
		Standalone:      true,
	}
	if mod != nil {
		mod(&opts)
	}
	var err error
	if app, err = web.New(opts); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: followResend}
	return &browser{t: t, base: appSrv.URL, hc: hc, be: be, app: app}, be
}

// followResend follows what a browser follows on its own, a 307 (the app's
// request to resend after a refused refresh, see web/refresh_retry.go), and
// leaves every other redirect to the test.
func followResend(req *http.Request, via []*http.Request) error {
	if req.Response != nil && req.Response.StatusCode == http.StatusTemporaryRedirect && len(via) < 3 {
		return nil
	}
	return http.ErrUseLastResponse
}

// call sends a JSON request to the auth API and decodes the answer into
// out (if not nil); it returns the status.
func (be *testBackend) call(method, path, token string, in, out any) int {
	be.t.Helper()
	var body io.Reader
	if in != nil {
		raw, _ := json.Marshal(in)
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, be.URL+path, body)
	if err != nil {
		be.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hasura-Admin-Secret", testAdminSecret)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Del("X-Hasura-Admin-Secret")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		be.t.Fatal(err)
	}
	defer res.Body.Close()
	if out != nil {
		_ = json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}

// mustUser creates a user with a verified email address, through the
// auth API and (for the verification) the admin GraphQL API.
func (be *testBackend) mustUser(email, password string) {
	be.t.Helper()
	switch st := be.call("POST", "/v1/auth/signup/email-password", "", map[string]any{"email": email, "password": password}, nil); st {
	case http.StatusOK:
	case http.StatusConflict:
		return // created before
	default:
		be.t.Fatalf("sign up %s: %d", email, st)
	}
	var out struct {
		Errors []any `json:"errors"`
	}
	be.call("POST", "/v1/graphql", "", map[string]any{
		"query":     `mutation($e: citext!) { updateUsers(where: {email: {_eq: $e}}, _set: {emailVerified: true}) { affected_rows } }`,
		"variables": map[string]any{"e": email},
	}, &out)
	if len(out.Errors) > 0 {
		be.t.Fatalf("verify %s: %v", email, out.Errors)
	}
}

// mustSession signs in over the auth API and returns the session.
func (be *testBackend) mustSession(email, password string) auth.Session {
	be.t.Helper()
	var out struct{ Session auth.Session }
	if st := be.call("POST", "/v1/auth/signin/email-password", "", map[string]string{"email": email, "password": password}, &out); st != http.StatusOK {
		be.t.Fatalf("sign in %s: %d", email, st)
	}
	return out.Session
}

// signOutEverywhere revokes every refresh token of the user, as "sign out
// on all devices" does.
func (be *testBackend) signOutEverywhere(email, password string) {
	be.t.Helper()
	tok := be.mustSession(email, password).AccessToken
	if st := be.call("POST", "/v1/auth/signout", tok, map[string]any{"all": true}, nil); st != http.StatusOK {
		be.t.Fatalf("sign out everywhere: %d", st)
	}
}

// shutDown stops serving the backend: every later call is refused.
func (be *testBackend) shutDown() { be.srv.Close() }

var csrfMeta = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)

func (b *browser) do(method, path string, form url.Values, hdr map[string]string) response {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if m := csrfMeta.FindStringSubmatch(string(raw)); m != nil {
		b.csrf = m[1]
	} else if res.StatusCode >= 300 && res.StatusCode < 400 {
		b.csrf = "" // a browser would load the next page and its new token
	}
	return response{status: res.StatusCode, header: res.Header, body: string(raw)}
}

func (b *browser) get(path string) response { b.t.Helper(); return b.do("GET", path, nil, nil) }

// post sends a form with the page's CSRF token, fetching a page first if
// the browser has none yet.
func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	b.ensureCSRF()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" {
		form.Set("_csrf", b.csrf)
	}
	return b.do("POST", path, form, nil)
}

// htmx sends an htmx-style request with the CSRF header.
func (b *browser) htmx(method, path string, form url.Values, target string) response {
	b.t.Helper()
	b.ensureCSRF()
	return b.do(method, path, form, map[string]string{"HX-Request": "true", "HX-Target": target, "X-CSRF-Token": b.csrf})
}

// signIn creates user@example.com (password testPassword) on the backend
// when it does not exist yet, and signs in as them through the app.
func (b *browser) signIn(user string) {
	b.t.Helper()
	b.be.mustUser(user+"@example.com", testPassword)
	r := b.post("/sign-in", url.Values{"email": {user + "@example.com"}, "password": {testPassword}})
	mustStatus(b.t, r, http.StatusSeeOther)
	mustHeader(b.t, r, "Location", "/notes")
	b.get("/notes")
}

func mustStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status = %d, want %d; body:\n%.2000s", r.status, want, r.body)
	}
}

func mustHeader(t *testing.T, r response, key, want string) {
	t.Helper()
	if got := r.header.Get(key); got != want {
		t.Fatalf("%s = %q, want %q", key, got, want)
	}
}

func mustTestID(t *testing.T, r response, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if !strings.Contains(r.body, `data-testid="`+id+`"`) {
			t.Fatalf("no data-testid=%q in:\n%.3000s", id, r.body)
		}
	}
}

func mustNoTestID(t *testing.T, r response, id string) {
	t.Helper()
	if strings.Contains(r.body, `data-testid="`+id+`"`) {
		t.Fatalf("unexpected data-testid=%q in:\n%.3000s", id, r.body)
	}
}

func (b *browser) signInAs(email, password string) {
	b.t.Helper()
	r := b.post("/sign-in", url.Values{"email": {email}, "password": {password}})
	mustStatus(b.t, r, http.StatusSeeOther)
	mustHeader(b.t, r, "Location", "/notes")
	b.get("/notes")
}

// fork returns a second browser (its own cookies) on the same app.
func (b *browser) fork() *browser {
	b.t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: b.hc.CheckRedirect}
	return &browser{t: b.t, base: b.base, hc: hc, be: b.be, app: b.app}
}

// ensureCSRF loads a page, as a browser would have, when the last response
// carried no CSRF token: the sign-up page when signed out, the notes otherwise.
func (b *browser) ensureCSRF() {
	b.t.Helper()
	for _, path := range []string{"/sign-up", "/notes"} {
		if b.csrf != "" {
			return
		}
		b.get(path)
	}
}

// state decodes the browser's session cookie, as the app reads it.
func (b *browser) state() auth.State {
	b.t.Helper()
	store, err := auth.NewStore(testHashKey, testBlockKey, false)
	if err != nil {
		b.t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", b.base, nil)
	u, _ := url.Parse(b.base)
	for _, c := range b.hc.Jar.Cookies(u) {
		req.AddCookie(c)
	}
	return store.Load(req)
}
