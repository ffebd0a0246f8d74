// Package store opens the embedded backend's database, SQLite or Postgres,
// and applies migrations to it. It is the one place that knows how a URL
// becomes a *sql.DB and how the two dialects name things.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the SQL flavour behind a DB.
type Dialect int

// The dialects the backend speaks.
const (
	SQLite Dialect = iota + 1
	Postgres
)

// String returns the dialect's lowercase name.
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "unknown"
}

// Quote quotes an SQL identifier for the dialect. Both dialects accept
// double-quoted identifiers with embedded quotes doubled.
func (d Dialect) Quote(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

// Placeholder returns the n-th (1-based) bind parameter marker.
func (d Dialect) Placeholder(n int) string {
	if d == Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return fmt.Sprintf("?%d", n)
}

// TableName returns the unquoted name a table of the given Postgres schema
// has in this dialect. SQLite has no schemas, so a table outside "public"
// is named "<schema>_<name>" there (auth.users is auth_users).
func (d Dialect) TableName(schema, name string) string {
	if d == SQLite && schema != "" && schema != "public" {
		return schema + "_" + name
	}
	return name
}

// Table returns the quoted, qualified SQL name of a table for the dialect.
func (d Dialect) Table(schema, name string) string {
	if d == Postgres {
		if schema == "" {
			schema = "public"
		}
		return d.Quote(schema) + "." + d.Quote(name)
	}
	return d.Quote(d.TableName(schema, name))
}

// DB is an open database with its dialect.
type DB struct {
	*sql.DB
	Dialect Dialect
	// Path is the SQLite file, empty for Postgres.
	Path string
}

// Table returns the quoted, qualified SQL name of a table in this database.
func (db *DB) Table(schema, name string) string { return db.Dialect.Table(schema, name) }

// ErrBadURL reports a database URL that names no supported database.
var ErrBadURL = errors.New("unsupported database URL")

// Open opens the database a URL names and checks that it answers.
//
// Accepted forms: postgres:// or postgresql:// URLs (pgx), and for SQLite
// "sqlite:<path>", "file:<path>" or a plain file path. A SQLite file and its
// folder are created when missing; the connection runs in WAL mode with
// foreign keys on, a busy timeout and immediate write transactions, so
// concurrent writers queue instead of failing.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return openPostgres(ctx, rawURL)
	case rawURL == "":
		return nil, fmt.Errorf("open database: %w: empty", ErrBadURL)
	case strings.Contains(rawURL, "://"):
		return nil, fmt.Errorf("open database: %w: %q", ErrBadURL, Redact(rawURL))
	}
	return openSQLite(ctx, rawURL)
}

func openPostgres(ctx context.Context, rawURL string) (*DB, error) {
	sqldb, err := sql.Open("pgx", rawURL)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	sqldb.SetMaxOpenConns(32)
	sqldb.SetMaxIdleConns(16)
	sqldb.SetConnMaxIdleTime(3 * time.Minute)
	sqldb.SetConnMaxLifetime(10 * time.Minute)
	if err := ping(ctx, sqldb); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open postgres %s: %w", Redact(rawURL), err)
	}
	return &DB{DB: sqldb, Dialect: Postgres}, nil
}

func openSQLite(ctx context.Context, rawURL string) (*DB, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite:"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, fmt.Errorf("open sqlite: %w: no file path", ErrBadURL)
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_txlock", "immediate")
	q.Add("_time_format", "sqlite")
	dsn := "file:" + path + "?" + q.Encode()
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	sqldb.SetMaxOpenConns(8)
	sqldb.SetMaxIdleConns(8)
	sqldb.SetConnMaxIdleTime(0)
	if err := ping(ctx, sqldb); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return &DB{DB: sqldb, Dialect: SQLite, Path: path}, nil
}

func ping(ctx context.Context, db *sql.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return db.PingContext(ctx)
}

// Redact hides the password in a database URL so it can be logged.
func Redact(rawURL string) string {
	if !strings.Contains(rawURL, "://") {
		return rawURL
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "<unparsable URL>"
	}
	return u.Redacted()
}
