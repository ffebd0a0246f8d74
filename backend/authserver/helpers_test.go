package authserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/notes-app/notes/backend/hasurajwt"
	"github.com/notes-app/notes/backend/store"
	"github.com/notes-app/notes/internal/testenv"
)

const (
	testJWTSecret   = `{"type":"HS256","key":"0123456789abcdef0123456789abcdef-notes-test"}`
	testAdminSecret = "test-admin-secret"
	testClientURL   = "http://app.test"
	testPassword    = "correct-horse-battery"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testEnv is one auth server over its own database, served over real HTTP.
type testEnv struct {
	t      testing.TB
	srv    *Server
	ts     *httptest.Server
	db     *store.DB
	clock  *clock
	base   string
	client *http.Client
}

// setup tweaks the configuration and options of a test server.
type setup struct {
	env  map[string]string
	opts func(*Options)
}

// forEachDialect runs fn on SQLite and on Postgres.
func forEachDialect(t *testing.T, fn func(t *testing.T, dbURL func(testing.TB) string)) {
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) { fn(t, d.URL) })
	}
}

func mustEnv(t testing.TB, dbURL func(testing.TB) string, st setup) *testEnv {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL(t))
	if err != nil {
		t.Fatalf("open db: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := Migrate(ctx, db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	vars := map[string]string{
		"AUTH_CLIENT_URL": testClientURL,
		"AUTH_ACCESS_CONTROL_ALLOWED_REDIRECT_URLS": "https://allowed.test/callback,myapp://open",
	}
	for k, v := range st.env {
		vars[k] = v
	}
	cfg, err := LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	jwtCfg, err := hasurajwt.Parse(testJWTSecret)
	if err != nil {
		t.Fatalf("jwt: %v", err)
	}
	c := &clock{t: time.Now().UTC().Truncate(time.Second)}
	opts := Options{DB: db, Config: cfg, JWT: jwtCfg, AdminSecret: testAdminSecret, Now: c.Now}
	if st.opts != nil {
		st.opts(&opts)
	}
	srv, err := New(ctx, opts)
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/auth/", http.StripPrefix("/v1/auth", srv))
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return &testEnv{
		t: t, srv: srv, ts: ts, db: db, clock: c, base: ts.URL + "/v1/auth",
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

// reply is a decoded response.
type reply struct {
	status int
	header http.Header
	raw    []byte
}

func (r reply) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.raw, &m); err != nil {
		t.Fatalf("response %d is not a JSON object: %s", r.status, r.raw)
	}
	return m
}

// location parses the redirect target.
func (r reply) location(t testing.TB) *url.URL {
	t.Helper()
	if r.status != http.StatusFound {
		t.Fatalf("status %d, want 302; body %s", r.status, r.raw)
	}
	u, err := url.Parse(r.header.Get("Location"))
	if err != nil {
		t.Fatalf("bad Location: %v", err)
	}
	return u
}

func (e *testEnv) do(method, path string, body any, header map[string]string) reply {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	target := path
	if strings.HasPrefix(path, "/") {
		target = e.base + path
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, raw: raw}
}

func (e *testEnv) post(path string, body any) reply { return e.do(http.MethodPost, path, body, nil) }
func (e *testEnv) get(path string) reply            { return e.do(http.MethodGet, path, nil, nil) }

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// wantError asserts the contract's ErrorResponse.
func wantError(t testing.TB, r reply, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.raw)
	}
	m := r.json(t)
	if m["error"] != code || m["status"] != float64(status) || m["message"] == "" || m["message"] == nil {
		t.Fatalf("body %s, want error %q status %d with a message", r.raw, code, status)
	}
}

// wantOK asserts the bare JSON string "OK".
func wantOK(t testing.TB, r reply) {
	t.Helper()
	if r.status != http.StatusOK || strings.TrimSpace(string(r.raw)) != `"OK"` {
		t.Fatalf("got %d %s, want 200 \"OK\"", r.status, r.raw)
	}
}

// session decodes {"session": ...} and checks its shape.
func wantSession(t testing.TB, r reply) map[string]any {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", r.status, r.raw)
	}
	s, ok := r.json(t)["session"].(map[string]any)
	if !ok {
		t.Fatalf("no session in %s", r.raw)
	}
	checkSession(t, s)
	return s
}

func checkSession(t testing.TB, s map[string]any) {
	t.Helper()
	for _, k := range []string{"accessToken", "refreshToken", "refreshTokenId"} {
		if v, _ := s[k].(string); v == "" {
			t.Fatalf("session without %s: %v", k, s)
		}
	}
	if s["accessTokenExpiresIn"] != float64(900) {
		t.Fatalf("accessTokenExpiresIn = %v, want 900", s["accessTokenExpiresIn"])
	}
	if _, ok := s["user"].(map[string]any); !ok {
		t.Fatalf("session without user: %v", s)
	}
}

// outbox reads the dev outbox.
func (e *testEnv) outbox(to string) []outboxMessage {
	e.t.Helper()
	r := e.do(http.MethodGet, "/dev/outbox?to="+url.QueryEscape(to), nil, map[string]string{"x-hasura-admin-secret": testAdminSecret})
	if r.status != http.StatusOK {
		e.t.Fatalf("outbox: %d %s", r.status, r.raw)
	}
	var msgs []outboxMessage
	if err := json.Unmarshal(r.raw, &msgs); err != nil {
		e.t.Fatal(err)
	}
	return msgs
}

// lastLink returns the link of the newest email to an address.
func (e *testEnv) lastLink(to string) string {
	e.t.Helper()
	msgs := e.outbox(to)
	if len(msgs) == 0 || msgs[0].Link == "" {
		e.t.Fatalf("no email with a link to %s", to)
	}
	if !strings.Contains(msgs[0].HTML, msgs[0].Link) && !strings.Contains(msgs[0].HTML, strings.ReplaceAll(msgs[0].Link, "&", "&amp;")) {
		e.t.Fatalf("html body does not carry the link")
	}
	if !strings.Contains(msgs[0].Text, msgs[0].Link) {
		e.t.Fatalf("text body does not carry the link")
	}
	return msgs[0].Link
}

// signUp creates a verified user with a password and returns its session.
func (e *testEnv) signUp(email string) map[string]any {
	e.t.Helper()
	wantOK200 := e.post("/signup/email-password", map[string]any{"email": email, "password": testPassword})
	if wantOK200.status != http.StatusOK {
		e.t.Fatalf("sign up: %d %s", wantOK200.status, wantOK200.raw)
	}
	if s, ok := wantOK200.json(e.t)["session"].(map[string]any); ok {
		return s
	}
	e.follow(e.lastLink(email))
	return wantSession(e.t, e.post("/signin/email-password", map[string]any{"email": email, "password": testPassword}))
}

// follow requests an email link (rewritten onto the test server) and
// returns the redirect.
func (e *testEnv) follow(link string) *url.URL {
	e.t.Helper()
	r := e.do(http.MethodGet, link, nil, nil)
	return r.location(e.t)
}

// refresh exchanges a refresh token for a bare session.
func (e *testEnv) refresh(token string) reply {
	return e.post("/token", map[string]any{"refreshToken": token})
}

// sqliteURL is for tests whose logic does not depend on the dialect.
func sqliteURL(t testing.TB) string { return testenv.SQLiteURL(t) }

// runtimeGosched yields while a test waits on a condition.
func runtimeGosched() { runtime.Gosched() }

// benchEnv is a server for benchmarks: SQLite, no email verification.
func benchEnv(b *testing.B) *testEnv {
	return mustEnv(b, sqliteURL, setup{env: map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}})
}

// testenvPostgres is a fresh Postgres database (skipped when unreachable).
func testenvPostgres(t testing.TB) string { return testenv.Postgres(t) }
