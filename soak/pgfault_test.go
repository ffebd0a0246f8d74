//go:build soak

package soak

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/loadgen"
	"github.com/notes-app/notes/internal/pgtemp"
)

// recoveryBound is how soon after the database returns the app must serve
// a list page again: a correctness bound (it reconnects on its own), not a
// benchmark, so it is generous.
const recoveryBound = 5 * time.Second

// TestPostgresFault stops the app's own throwaway Postgres server in the
// middle of a load of 32 connections, keeps it down for 3 s and starts it
// again. Meanwhile every request gets a clean answer (200, 303 or a
// friendly 503; no other 5xx, no transport error, nothing hung past the
// timeout), the GraphQL API a Hasura-shaped error; the app serves list
// pages again within recoveryBound of the database returning, without a
// restart; and no acknowledged write is lost.
func TestPostgresFault(t *testing.T) {
	db := pgtemp.New(t)
	env := baseEnv(t, db.URL())
	app := mustStart(t, env)
	cfg := loadgen.Config{
		Targets:     []string{app.URL},
		Users:       16,
		Concurrency: 32,
		Timeout:     15 * time.Second,
		Prefix:      "pgf",
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	users, err := loadgen.Prepare(ctx, cfg, loadgen.UsersFor(cfg.Prefix, cfg.Users))
	if err != nil {
		t.Fatal(err)
	}
	probe := users[0]

	load := startChunkedLoad(ctx, cfg, users)
	waitUntil(t, "300 acknowledged writes before the fault", func() bool { return load.acked.Load() >= 300 })

	t0 := time.Now()
	if err := db.Stop(); err != nil {
		t.Fatalf("stop Postgres: %v", err)
	}
	down := time.Now()
	t.Logf("Postgres stopped after %d acknowledged writes (pg_ctl stop -m fast took %v)", load.acked.Load(), down.Sub(t0).Round(time.Millisecond))
	mustAnswerWhileDown(ctx, t, app, env, probe)
	<-time.After(time.Until(down.Add(3 * time.Second)))
	if err := db.Start(); err != nil {
		t.Fatalf("start Postgres again: %v", err)
	}
	back := time.Now()
	ackedAtStart := load.acked.Load()
	recovery := mustRecover(ctx, t, app.URL, probe, back)
	t.Logf("Postgres down %v; the first list page succeeded %v after it returned", back.Sub(down).Round(time.Millisecond), recovery.Round(time.Millisecond))
	waitUntil(t, "300 acknowledged writes after the fault", func() bool { return load.acked.Load() >= ackedAtStart+300 })

	res := load.stop()
	t.Logf("load through the fault (%d chunks):\n%s", len(res), summary(res))
	mustOnlyCleanStatuses(t, res, cfg.Timeout)
	mustLedgerChunks(t, app.URL, env, res)
	mustNoPanic(t, app)
}

// chunkedLoad runs the load in chunks of loadgen.Run, one after another,
// until stopped, so it goes on for as long as a fault takes however fast
// the failing requests are answered. Each chunk has its own title prefix
// (cfg.Prefix plus its number), so titles stay unique across chunks.
type chunkedLoad struct {
	acked   atomic.Int64 // acknowledged writes so far
	quit    chan struct{}
	done    chan struct{}
	mu      sync.Mutex
	results []chunk
}

type chunk struct {
	prefix string
	res    *loadgen.Result
}

func startChunkedLoad(ctx context.Context, cfg loadgen.Config, users []*loadgen.User) *chunkedLoad {
	l := &chunkedLoad{quit: make(chan struct{}), done: make(chan struct{})}
	cfg.OnWrite = func(loadgen.Write) { l.acked.Add(1) }
	cfg.Requests = 20 * cfg.Concurrency
	base := cfg.Prefix
	go func() {
		defer close(l.done)
		for i := 0; ctx.Err() == nil; i++ {
			select {
			case <-l.quit:
				return
			default:
			}
			cfg.Prefix = fmt.Sprintf("%s%d", base, i)
			res, err := loadgen.Run(ctx, cfg, users)
			if err != nil {
				panic(err) // a bad Config: a bug of the test
			}
			l.mu.Lock()
			l.results = append(l.results, chunk{cfg.Prefix, res})
			l.mu.Unlock()
		}
	}()
	return l
}

// stop ends the load after the running chunk and returns every chunk's result.
func (l *chunkedLoad) stop() []chunk {
	close(l.quit)
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.results
}

func summary(chunks []chunk) string {
	status := map[int]int{}
	var lat loadgen.Latencies
	written, deleted, uncertain := 0, 0, 0
	for _, c := range chunks {
		for code, n := range c.res.Status {
			status[code] += n
		}
		lat.Merge(c.res.Latency)
		written += len(c.res.Written)
		deleted += len(c.res.Deleted)
		uncertain += len(c.res.Uncertain)
	}
	return fmt.Sprintf("all: %s\nstatus: %v\nacknowledged: %d creates/updates, %d deletes; unacknowledged (503): %d",
		&lat, status, written, deleted, uncertain)
}

// mustOnlyCleanStatuses fails on any answer but 200, 303 and 503 (a
// transport error or timeout counts as status 0), and on a request slower
// than the timeout.
func mustOnlyCleanStatuses(t testing.TB, chunks []chunk, timeout time.Duration) {
	t.Helper()
	unavailable := 0
	for _, c := range chunks {
		for code, n := range c.res.Status {
			switch code {
			case http.StatusOK, http.StatusSeeOther:
			case http.StatusServiceUnavailable:
				unavailable += n
			default:
				t.Errorf("%s: %d answers with status %d (0 = transport error or timeout); first failures:\n  %s",
					c.prefix, n, code, strings.Join(c.res.Failures, "\n  "))
			}
		}
		if m := c.res.Latency.Max(); m >= timeout {
			t.Errorf("%s: a request took %v, past the %v timeout", c.prefix, m, timeout)
		}
	}
	if unavailable == 0 {
		t.Error("no request got a 503: the load never met the fault")
	}
}

// mustLedgerChunks checks the database against every chunk's ledger. A
// chunk's ledger holds the writes to notes of its prefix, including the
// writes later chunks made to them, in order.
func mustLedgerChunks(t testing.TB, base string, env map[string]string, chunks []chunk) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	all := &loadgen.Result{}
	for _, c := range chunks {
		all.Written = append(all.Written, c.res.Written...)
		all.Deleted = append(all.Deleted, c.res.Deleted...)
		all.Uncertain = append(all.Uncertain, c.res.Uncertain...)
	}
	stored, err := loadgen.FetchNotes(ctx, base, env["HASURA_GRAPHQL_ADMIN_SECRET"], "pgf")
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	for _, c := range chunks {
		problems = append(problems, only(all, c.prefix+" u").Verify(stored, c.prefix)...)
	}
	reportProblems(t, problems)
	t.Logf("ledger: %d acknowledged writes, %d unacknowledged; %d notes stored; %d problems",
		all.Acknowledged(), len(all.Uncertain), len(stored), len(problems))
}

// only is the part of r's ledger about notes whose title starts with prefix.
func only(r *loadgen.Result, prefix string) *loadgen.Result {
	keep := func(ws []loadgen.Write) []loadgen.Write {
		var out []loadgen.Write
		for _, w := range ws {
			if strings.HasPrefix(w.Title, prefix) {
				out = append(out, w)
			}
		}
		return out
	}
	return &loadgen.Result{Written: keep(r.Written), Deleted: keep(r.Deleted), Uncertain: keep(r.Uncertain)}
}

// mustAnswerWhileDown checks the answers with the database down: the list
// page, a create and sign-in are friendly 503 pages, /healthz of the app
// answers, and the GraphQL and auth APIs give Hasura's and Nhost's error
// bodies.
func mustAnswerWhileDown(ctx context.Context, t testing.TB, app *proc, env map[string]string, u *loadgen.User) {
	t.Helper()
	r, err := u.Get(ctx, app.URL, "/notes")
	mustFriendlyError(t, "GET /notes", r, err, http.StatusServiceUnavailable)
	r, err = u.CreateNote(ctx, app.URL, "pgf down", "written while the database is down")
	mustFriendlyError(t, "POST /notes", r, err, http.StatusServiceUnavailable)
	mustSignInUnavailable(ctx, t, app.URL, u.Credentials)
	mustAppHealthy(t, app.URL)
	mustGraphQLUnavailable(ctx, t, app.URL, env["HASURA_GRAPHQL_ADMIN_SECRET"])
	mustAuthUnavailable(ctx, t, app.URL, u.Credentials)
}

// mustGraphQLUnavailable checks the GraphQL API's answer with the
// database down: Hasura answers a database it cannot reach like any
// failed query, HTTP 200 with code unexpected, "database query error".
func mustGraphQLUnavailable(ctx context.Context, t testing.TB, base, adminSecret string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": "{ notes(limit: 1) { id } }"})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-hasura-admin-secret", adminSecret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GraphQL with the database down: %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out struct {
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code string `json:"code"`
				Path string `json:"path"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || res.StatusCode != http.StatusOK || len(out.Errors) != 1 ||
		out.Errors[0].Extensions.Code != "unexpected" || out.Errors[0].Message != "database query error" {
		t.Errorf("GraphQL with the database down: %d %s, want 200 with Hasura's unexpected database query error", res.StatusCode, raw)
	}
}

// mustAuthUnavailable checks the auth API's answer with the database
// down: Nhost's error body, internal-server-error with status 500, which
// is what Nhost's auth service answers (the app shows it as a 503 page).
func mustAuthUnavailable(ctx context.Context, t testing.TB, base string, c loadgen.Credentials) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": c.Email, "password": c.Password})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/auth/signin/email-password", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("auth API with the database down: %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
		Error   string `json:"error"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || res.StatusCode != http.StatusInternalServerError ||
		out.Status != res.StatusCode || out.Error != "internal-server-error" {
		t.Errorf("auth API with the database down: %d %s, want Nhost's 500 internal-server-error body", res.StatusCode, raw)
	}
}

// mustFriendlyError checks that an answer is the app's own error page
// with the status, and shows no Go internals.
func mustFriendlyError(t testing.TB, what string, r *loadgen.Response, err error, status int) {
	t.Helper()
	if r == nil {
		t.Errorf("%s: no answer: %v", what, err)
		return
	}
	body := string(r.Body)
	if r.Status != status || !strings.Contains(body, fmt.Sprintf(`data-testid="error-page" data-status="%d"`, status)) {
		t.Errorf("%s: %s, want the friendly %d page:\n%.500s", what, r, status, body)
	}
	for _, leak := range []string{"goroutine ", "panic", "runtime error", "pgx", "dial tcp"} {
		if strings.Contains(body, leak) {
			t.Errorf("%s: the page shows %q", what, leak)
		}
	}
}

// mustAppHealthy checks that the app's own /healthz answers 200.
func mustAppHealthy(t testing.TB, base string) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	res, err := client.Get(base + "/healthz")
	if err != nil {
		t.Errorf("/healthz: %v", err)
		return
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %s, want 200", res.Status)
	}
}

// mustRecover polls the list page as u until it succeeds and returns how
// long that took after since; it fails past recoveryBound.
func mustRecover(ctx context.Context, t testing.TB, base string, u *loadgen.User, since time.Time) time.Duration {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	var last string
	for {
		r, _, err := u.ListNotes(ctx, base)
		if err == nil {
			d := time.Since(since)
			if d > recoveryBound {
				t.Errorf("the app served a list page %v after the service returned, want under %v", d, recoveryBound)
			}
			return d
		}
		if r != nil && r.Status != http.StatusServiceUnavailable {
			t.Errorf("while recovering: GET /notes: %s, want 200 or a friendly 503", r)
		}
		last = fmt.Sprint(err)
		if time.Since(since) > 2*recoveryBound {
			t.Fatalf("the app did not recover within %v: %s", 2*recoveryBound, last)
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
	}
}

// waitUntil polls cond until it holds, failing after a minute.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// mustNoPanic fails when the app's output shows a panic or a stack trace.
// Errors are expected while a dependency is down; panics never are.
func mustNoPanic(t testing.TB, p *proc) {
	t.Helper()
	mustNotPrint(t, p, "panic", "goroutine ")
}
