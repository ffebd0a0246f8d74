//go:build soak

package soak

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/loadgen"
	"github.com/notes-app/notes/internal/testenv"
)

// TestLoad drives -soak.requests mixed requests (70% list pages, 20%
// creates, 10% updates and deletes) as 50 users over 64 connections at the
// real binary, on SQLite and on Postgres: no 5xx, no transport error, every
// request acknowledged, and afterwards the database holds exactly what the
// ledger says.
func TestLoad(t *testing.T) {
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			url := ""
			if d.Name != "sqlite" {
				url = d.URL(t)
			}
			env := baseEnv(t, url)
			app := mustStart(t, env)
			cfg := loadgen.Config{
				Targets:     []string{app.URL},
				Users:       50,
				Requests:    *requests,
				Concurrency: 64,
				Prefix:      "load",
			}
			res := mustLoad(t, cfg)
			mustNoServerErrors(t, res)
			mustLedger(t, app.URL, env, res, cfg.Prefix)
			mustCleanLog(t, app)
		})
	}
}

// mustLoad signs cfg.Users users in and runs the load, logging the figures.
func mustLoad(t testing.TB, cfg loadgen.Config) *loadgen.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	t0 := time.Now()
	users, err := loadgen.Prepare(ctx, cfg, loadgen.UsersFor(strings.ToLower(cfg.Prefix), cfg.Users))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d users signed up and in through the forms in %v", len(users), time.Since(t0).Round(time.Millisecond))
	res, err := loadgen.Run(ctx, cfg, users)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d requests at %d connections (GOMAXPROCS %d):\n%s", cfg.Requests, cfg.Concurrency, runtime.GOMAXPROCS(0), res.Summary())
	if ctx.Err() != nil {
		t.Fatalf("the load did not finish in time: %v", ctx.Err())
	}
	return res
}

// mustNoServerErrors fails on any 5xx, transport error or request the app
// did not acknowledge.
func mustNoServerErrors(t testing.TB, res *loadgen.Result) {
	t.Helper()
	for code, n := range res.Status {
		if code == 0 || code >= 500 {
			t.Errorf("%d responses with status %d (0 = transport error)", n, code)
		}
	}
	if res.Failed > 0 {
		t.Errorf("%d requests not acknowledged; first: %s", res.Failed, strings.Join(res.Failures, "\n  "))
	}
}

// mustLedger reads the run's notes through GraphQL with the admin secret
// and checks them against the ledger.
func mustLedger(t testing.TB, base string, env map[string]string, res *loadgen.Result, prefix string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stored, err := loadgen.FetchNotes(ctx, base, env["HASURA_GRAPHQL_ADMIN_SECRET"], prefix)
	if err != nil {
		t.Fatal(err)
	}
	problems := res.Verify(stored, prefix)
	reportProblems(t, problems)
	t.Logf("ledger: %d acknowledged creates/updates, %d deletes, %d uncertain; %d notes stored; %d problems",
		len(res.Written), len(res.Deleted), len(res.Uncertain), len(stored), len(problems))
}

// reportProblems fails the test with the ledger's problems, the first 20
// of them in full.
func reportProblems(t testing.TB, problems []string) {
	t.Helper()
	for i, p := range problems {
		if i == 20 {
			t.Errorf("… and %d more", len(problems)-i)
			return
		}
		t.Error(p)
	}
}

// mustCleanLog fails when the app logged a panic or an error.
func mustCleanLog(t testing.TB, p *proc) {
	t.Helper()
	mustNotPrint(t, p, "panic", "level=ERROR")
}

// mustNotPrint fails when the app's output holds any of bad.
func mustNotPrint(t testing.TB, p *proc, bad ...string) {
	t.Helper()
	out := p.Output()
	for _, b := range bad {
		if strings.Contains(out, b) {
			t.Errorf("the app printed %q:\n%s", b, tail(out, 4000))
			return
		}
	}
}
