package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/testenv"
)

// TestBinaryRunsFromAnEmptyFolder builds the real binary and starts it with
// no settings in an empty folder: it must create its data folder, apply the
// embedded project's migrations and serve /healthz.
func TestBinaryRunsFromAnEmptyFolder(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "notes")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NOTES_ADDR=127.0.0.1:0")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := runningRE.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		close(urls)
	}()
	var base string
	select {
	case base = <-urls:
	case <-time.After(60 * time.Second):
		t.Fatal("binary did not report its URL within 60s")
	}
	mustHealthy(t, base)
	if fi, err := os.Stat(filepath.Join(dir, "data", "secrets.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("data/secrets.json: %v, mode %v", err, fi.Mode())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("binary did not stop cleanly on SIGINT: %v", err)
	}
}

// TestRestartKeepsUsersAndNotes signs up, writes a note, restarts the
// program on the same database and finds both again, on each dialect.
func TestRestartKeepsUsersAndNotes(t *testing.T) {
	t.Parallel()
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{
				"NOTES_DATA_DIR":                            t.TempDir(),
				"NOTES_DATABASE_URL":                        d.URL(t),
				"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false",
			}
			first := startInstance(t, env)
			token := mustSignUp(t, first.URL, "keep@example.com", "correct horse battery")
			mustGraphQL(t, first.URL, token, `mutation { insert_notes_one(object: {title: "kept", content: "across restarts"}) { id } }`)
			first.stop()

			second := startInstance(t, env)
			token = mustSignIn(t, second.URL, "keep@example.com", "correct horse battery")
			got := mustGraphQL(t, second.URL, token, `{ notes { title content } }`)
			mustJSONEqual(t, got, `{"notes":[{"title":"kept","content":"across restarts"}]}`)
		})
	}
}

// TestRemoteModeAgainstAnotherInstance runs `notes backend` as if it were
// an Nhost project, then a second instance in remote mode against it, and
// drives the app over HTTP: sign up, sign in, write and read a note.
func TestRemoteModeAgainstAnotherInstance(t *testing.T) {
	t.Parallel()
	appAddr := freeAddr(t)
	be := startInstance(t, map[string]string{
		"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false",
		"AUTH_CLIENT_URL": "http://" + appAddr,
	}, "backend")
	app := startInstance(t, map[string]string{
		"NOTES_ADDR":        appAddr,
		"NHOST_AUTH_URL":    be.URL + "/v1/auth",
		"NHOST_GRAPHQL_URL": be.URL + "/v1/graphql",
	})
	res, err := http.Get(app.URL + "/v1/graphql")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("remote mode serves /v1/graphql itself: %d", res.StatusCode)
	}

	c := newFormClient(t, app.URL)
	r := c.post("/sign-up", url.Values{"email": {"remote@example.com"}, "password": {"correct horse battery"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-up: %d", r.StatusCode)
	}
	if r = c.post("/sign-out", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", r.StatusCode)
	}
	r = c.post("/sign-in", url.Values{"email": {"remote@example.com"}, "password": {"correct horse battery"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/notes" {
		t.Fatalf("sign-in: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	r = c.post("/notes", url.Values{"title": {"Written remotely"}, "content": {"**through** Nhost's API"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create note: %d", r.StatusCode)
	}
	body := c.getBody("/notes")
	if !strings.Contains(body, "Written remotely") {
		t.Fatalf("the note is not listed:\n%.2000s", body)
	}
	token := mustSignIn(t, be.URL, "remote@example.com", "correct horse battery")
	mustJSONEqual(t, mustGraphQL(t, be.URL, token, `{ notes { title } }`), `{"notes":[{"title":"Written remotely"}]}`)
}

// formClient is a cookie-keeping HTTP client that posts forms the way a
// browser with JavaScript off does, CSRF token included.
type formClient struct {
	t    *testing.T
	base string
	hc   *http.Client
}

var csrfInputRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func newFormClient(t *testing.T, base string) *formClient {
	jar, _ := cookiejar.New(nil)
	return &formClient{t: t, base: base, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (c *formClient) getBody(path string) string {
	c.t.Helper()
	res, err := c.hc.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func (c *formClient) post(path string, form url.Values) *http.Response {
	c.t.Helper()
	var m []string
	for _, page := range []string{"/notes", "/sign-in"} {
		if m = csrfInputRE.FindStringSubmatch(c.getBody(page)); m != nil {
			break
		}
	}
	if m == nil {
		c.t.Fatal("no page carries a _csrf input")
	}
	form.Set("_csrf", m[1])
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode >= 400 {
		b, _ := io.ReadAll(res.Body)
		c.t.Logf("POST %s: %d\n%.3000s", path, res.StatusCode, b)
	}
	return res
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// mustJSONEqual compares two JSON documents by value (Postgres formats
// json_build_object output with spaces, as real Hasura passes it through).
func mustJSONEqual(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("not JSON: %s", got)
	}
	json.Unmarshal([]byte(want), &w)
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Fatalf("got  %s\nwant %s", gb, wb)
	}
}

func postJSON(t *testing.T, url string, header map[string]string, in any, out any) int {
	t.Helper()
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest("POST", url, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("POST %s: %d %s", url, res.StatusCode, raw)
		}
	}
	return res.StatusCode
}

type sessionPayload struct {
	Session *struct {
		AccessToken string `json:"accessToken"`
	} `json:"session"`
}

func mustSignUp(t *testing.T, base, email, password string) string {
	t.Helper()
	var p sessionPayload
	if st := postJSON(t, base+"/v1/auth/signup/email-password", nil, map[string]string{"email": email, "password": password}, &p); st != 200 || p.Session == nil {
		t.Fatalf("sign-up: status %d, session %v", st, p.Session)
	}
	return p.Session.AccessToken
}

func mustSignIn(t *testing.T, base, email, password string) string {
	t.Helper()
	var p sessionPayload
	if st := postJSON(t, base+"/v1/auth/signin/email-password", nil, map[string]string{"email": email, "password": password}, &p); st != 200 || p.Session == nil {
		t.Fatalf("sign-in: status %d, session %v", st, p.Session)
	}
	return p.Session.AccessToken
}

// mustGraphQL runs a query with a user's token and returns its data as JSON.
func mustGraphQL(t *testing.T, base, token, query string) string {
	t.Helper()
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors json.RawMessage `json:"errors"`
	}
	postJSON(t, base+"/v1/graphql", map[string]string{"Authorization": "Bearer " + token}, map[string]string{"query": query}, &out)
	if out.Errors != nil {
		t.Fatalf("%s: %s", query, out.Errors)
	}
	return string(out.Data)
}
