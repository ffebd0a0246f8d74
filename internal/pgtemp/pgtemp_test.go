package pgtemp_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/notes-app/notes/internal/pgtemp"
)

// TestStopStart proves the contract the fault tests rely on: committed rows
// survive Stop and Start on the same URL, and while the server is down a
// connection attempt fails instead of hanging.
func TestStopStart(t *testing.T) {
	srv := pgtemp.New(t)
	db, err := sql.Open("pgx", srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	mustExec(t, db, "CREATE TABLE kept (n int)")
	mustExec(t, db, "INSERT INTO kept VALUES (1), (2)")

	if err := srv.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if err := db.PingContext(ctx); err == nil {
		t.Fatal("ping succeeded with the server stopped")
	}
	if err := srv.Start(); err != nil {
		t.Fatalf("start again: %v", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM kept").Scan(&n); err != nil {
		t.Fatalf("count after restart: %v", err)
	}
	if n != 2 {
		t.Errorf("rows after restart = %d, want 2", n)
	}

	if err := srv.Kill(); err != nil {
		t.Fatalf("kill: %v", err)
	}
	if err := srv.Start(); err != nil {
		t.Fatalf("start after kill: %v", err)
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM kept").Scan(&n); err != nil || n != 2 {
		t.Errorf("rows after crash recovery = %d (%v), want 2", n, err)
	}
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
