package authserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/notes-app/notes/backend/store"
)

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// dialect rewrites the one SQL text each query is written in ($n
// placeholders, {table} names) for the database at hand, and converts
// values that the two dialects store differently.
type dialect struct {
	db    *store.DB
	cache sync.Map // string -> string
}

var (
	tableRef       = regexp.MustCompile(`\{([a-z_]+)\}`)
	placeholderRef = regexp.MustCompile(`\$([0-9]+)`)
)

// q returns query with {name} replaced by the auth table name and, on
// SQLite, $n by ?n.
func (d *dialect) q(query string) string {
	if v, ok := d.cache.Load(query); ok {
		return v.(string)
	}
	out := tableRef.ReplaceAllStringFunc(query, func(m string) string {
		return d.db.Table("auth", m[1:len(m)-1])
	})
	if d.db.Dialect == store.SQLite {
		out = placeholderRef.ReplaceAllString(out, "?$1")
	}
	d.cache.Store(query, out)
	return out
}

// sqliteTime is how timestamps are stored as text on SQLite.
const sqliteTime = "2006-01-02T15:04:05.000000-07:00"

// ts converts a time to the value the dialect stores in a timestamptz.
func (d *dialect) ts(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if d.db.Dialect == store.SQLite {
		return strings.Replace(t.Format(sqliteTime), "Z", "+00:00", 1)
	}
	return t
}

// jsonb converts raw JSON (nil for NULL) to a parameter for a jsonb column.
func (d *dialect) jsonb(raw []byte) any {
	if raw == nil {
		return nil
	}
	return string(raw)
}

// inTx runs fn in one transaction: every write of a request commits or
// rolls back together.
func (d *dialect) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// dbTime scans a timestamp from either dialect: time.Time from Postgres,
// ISO text from SQLite.
type dbTime struct{ time.Time }

// Scan implements sql.Scanner.
func (t *dbTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		t.Time = time.Time{}
	case time.Time:
		t.Time = v
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	default:
		return fmt.Errorf("scan time: unexpected %T", src)
	}
	return nil
}

func (t *dbTime) parse(s string) error {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05"} {
		if p, err := time.Parse(layout, s); err == nil {
			t.Time = p
			return nil
		}
	}
	return fmt.Errorf("scan time: cannot parse %q", s)
}

// isUniqueViolation reports whether err is a unique-constraint failure in
// either dialect.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		return coded.SQLState() == "23505"
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}
