package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/web"
)

// browser is a cookie-keeping client of the app that does not follow redirects.
type browser struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

type response struct {
	status int
	header http.Header
	body   string
}

func mustApp(t *testing.T, mod func(*web.Options)) (*browser, *fakeBackend) {
	t.Helper()
	fake := newFakeBackend(t)
	backend := httptest.NewServer(fake)
	t.Cleanup(backend.Close)
	opts := web.Options{
		PublicURL:       "http://127.0.0.1:8080",
		SessionHashKey:  []byte(strings.Repeat("h", 32)),
		SessionBlockKey: []byte(strings.Repeat("b", 32)),
		Auth:            auth.New(backend.URL+"/v1/auth", backend.Client()),
		GraphQLURL:      backend.URL + "/v1/graphql",
		HTTPClient:      backend.Client(),
		Providers:       []string{"github"},
		DevInbox:        true,
		AdminSecret:     "admin-secret",
		Standalone:      true,
		Now:             time.Now,
	}
	if mod != nil {
		mod(&opts)
	}
	h, err := web.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{t: t, base: srv.URL, hc: hc}, fake
}

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

func (b *browser) signIn(user string) {
	b.t.Helper()
	r := b.post("/sign-in", url.Values{"email": {user + "@example.com"}, "password": {"password1"}})
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

// mustAppShared starts a second app instance on the same fake backend, as
// a second user's browser would see it.
func mustAppShared(t *testing.T, fake *fakeBackend) (*browser, *fakeBackend) {
	t.Helper()
	backend := httptest.NewServer(fake)
	t.Cleanup(backend.Close)
	h, err := web.New(web.Options{
		PublicURL:       "http://127.0.0.1:8080",
		SessionHashKey:  []byte(strings.Repeat("h", 32)),
		SessionBlockKey: []byte(strings.Repeat("b", 32)),
		Auth:            auth.New(backend.URL+"/v1/auth", nil),
		GraphQLURL:      backend.URL + "/v1/graphql",
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{t: t, base: srv.URL, hc: hc}, fake
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
	return &browser{t: b.t, base: b.base, hc: hc}
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
