// Package testenv gives tests their real parts: a fresh Postgres database
// or SQLite file each, and the rule for what happens when a part is missing:
// locally the test skips with a clear message, in CI (CI=true) it fails.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver for the admin connection
)

// DefaultPostgresURL is the machine's Postgres: 127.0.0.1:5432, trust auth,
// database test. NOTES_TEST_POSTGRES_URL overrides it.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// InCI reports whether the tests run under CI, where skips are failures.
func InCI() bool { return os.Getenv("CI") == "true" }

// Unavailable skips the test locally and fails it in CI: a part the test
// needs (Postgres, Chromium, the shared conformance folder) is missing.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("required in CI (CI=true): %s", msg)
	}
	t.Skipf("skipped: %s", msg)
}

// PostgresURL returns the URL of the server tests create databases on.
func PostgresURL() string {
	if u := os.Getenv("NOTES_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

var (
	adminOnce sync.Once
	adminDB   *sql.DB
	adminErr  error
)

func admin() (*sql.DB, error) {
	adminOnce.Do(func() {
		db, err := sql.Open("pgx", PostgresURL())
		if err != nil {
			adminErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			adminErr = err
			return
		}
		db.SetMaxOpenConns(4)
		adminDB = db
	})
	return adminDB, adminErr
}

// Postgres creates an empty database for this test alone and returns its
// URL; the database is dropped when the test ends.
func Postgres(t testing.TB) string {
	t.Helper()
	db, err := admin()
	if err != nil {
		Unavailable(t, "Postgres at %s is not reachable (%v); set NOTES_TEST_POSTGRES_URL", redacted(PostgresURL()), err)
	}
	name := "notes_test_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(PostgresURL())
	if err != nil {
		t.Fatalf("parse NOTES_TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// SQLiteURL returns a path for a fresh SQLite database file in the test's
// temporary folder.
func SQLiteURL(t testing.TB) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "notes.db")
}

// Dialects lists the database kinds a test should run on, each with a
// function that makes a fresh database URL for one test.
func Dialects() []struct {
	Name string
	URL  func(testing.TB) string
} {
	return []struct {
		Name string
		URL  func(testing.TB) string
	}{
		{"sqlite", SQLiteURL},
		{"postgres", Postgres},
	}
}

// Chromium returns the path of the browser for chromedp tests, or marks the
// test unavailable when it is not installed.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv("NOTES_TEST_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	Unavailable(t, "Chromium not found (apt-get install chromium, or set NOTES_TEST_CHROMIUM)")
	return ""
}

// SharedDir returns the ../shared folder beside the repository (found by
// walking up from the working directory), or marks the test unavailable.
func SharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if fi, err := os.Stat(shared); err == nil && fi.IsDir() {
				return shared
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	Unavailable(t, "the shared folder (../shared beside the repository) is absent")
	return ""
}

// RepoRoot returns the repository's root folder (the one holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func redacted(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return strings.SplitN(raw, "@", 2)[0]
	}
	return u.Redacted()
}
