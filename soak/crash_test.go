//go:build soak

package soak

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, to check the file

	"github.com/notes-app/notes/internal/loadgen"
)

// TestCrash kills the binary with SIGKILL in the middle of concurrent
// creates on SQLite, three times: after each kill the database file passes
// PRAGMA integrity_check, and after each restart on the same data folder
// and port every acknowledged note is there (once, with its owner and
// content) and the users' sessions still work.
func TestCrash(t *testing.T) {
	env := baseEnv(t, "")
	app := mustStart(t, env)
	dbPath := filepath.Join(env["NOTES_DATA_DIR"], "notes.db")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cfg := loadgen.Config{Targets: []string{app.URL}, Users: 8, Concurrency: 16}
	users, err := loadgen.Prepare(ctx, cfg, loadgen.UsersFor("crash", cfg.Users))
	if err != nil {
		t.Fatal(err)
	}
	for round := 1; round <= 3; round++ {
		killAfter := int64(100 * round)
		cfg := cfg
		cfg.Prefix = fmt.Sprintf("crash%d", round)
		cfg.Mix = loadgen.Mix{Create: 1}
		cfg.Requests = 20 * int(killAfter) // far more than are sent before the kill
		runCtx, stopRun := context.WithCancel(ctx)
		var acked atomic.Int64
		var (
			once    sync.Once
			killErr error
		)
		cfg.OnWrite = func(loadgen.Write) {
			if acked.Add(1) == killAfter {
				once.Do(func() {
					killErr = app.kill()
					stopRun()
				})
			}
		}
		res, err := loadgen.Run(runCtx, cfg, users)
		stopRun()
		if err != nil {
			t.Fatal(err)
		}
		if killErr != nil {
			t.Fatalf("round %d: kill: %v", round, killErr)
		}
		if acked.Load() < killAfter {
			t.Fatalf("round %d: the load ended before %d acknowledged writes:\n%s", round, killAfter, res.Summary())
		}
		app.Kill(t) // waits until it is gone
		t.Logf("round %d: killed after %d acknowledged creates; %d in flight or after (uncertain)",
			round, len(res.Written), len(res.Uncertain))
		mustIntegrityOK(t, dbPath)

		app = app.mustRestart(t)
		mustLedger(t, app.URL, env, res, cfg.Prefix)
		if _, _, err := users[0].ListNotes(ctx, app.URL); err != nil {
			t.Fatalf("round %d: the session does not survive the restart: %v", round, err)
		}
	}
	app.Stop(t)
	mustIntegrityOK(t, dbPath)
}

// mustIntegrityOK opens the SQLite file read-only and runs
// PRAGMA integrity_check.
func mustIntegrityOK(t testing.TB, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows []string
	r, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	defer r.Close()
	for r.Next() {
		var s string
		if err := r.Scan(&s); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, s)
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0] != "ok" {
		t.Fatalf("integrity_check of %s: %q", path, rows)
	}
}
