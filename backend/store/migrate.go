package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one forward step of a schema: the SQL of an up.sql file.
type Migration struct {
	Version int64
	Name    string
	Up      string
}

// migrationsTable records applied migrations per set. It lives in the public
// schema but is never tracked in metadata, so no GraphQL role sees it.
const migrationsTable = "notes_schema_migrations"

// advisoryLockKey serialises migrations across instances sharing a Postgres.
const advisoryLockKey = 7_201_640_173

// LoadMigrations reads a Hasura-CLI style migrations folder: one directory
// per migration named "<version>_<name>" holding up.sql. Directories without
// up.sql are skipped (a down-only step); anything else is an error naming it.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load migrations %s: %w", dir, err)
	}
	var migs []Migration
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		ver, name, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.ParseInt(ver, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("load migrations: %s: folder name must be <version>_<name>", path.Join(dir, e.Name()))
		}
		up, err := fs.ReadFile(fsys, path.Join(dir, e.Name(), "up.sql"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("load migrations: %w", err)
		}
		migs = append(migs, Migration{Version: v, Name: name, Up: string(up)})
	}
	sort.Slice(migs, func(i, j int) bool { return migs[i].Version < migs[j].Version })
	return migs, nil
}

// Migrate applies, in version order, the migrations of a set that the
// database has not recorded yet. Each migration runs in its own transaction
// together with its record, so a failed step leaves nothing half-applied.
// On Postgres an advisory lock makes concurrent instances take turns.
func (db *DB) Migrate(ctx context.Context, set string, migs []Migration) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", set, err)
	}
	defer conn.Close()
	if db.Dialect == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", advisoryLockKey); err != nil {
			return fmt.Errorf("migrate %s: lock: %w", set, err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", advisoryLockKey)
	}
	create := `CREATE TABLE IF NOT EXISTS ` + migrationsTable + ` (
		set_name text NOT NULL,
		version bigint NOT NULL,
		name text NOT NULL,
		applied_at text NOT NULL,
		PRIMARY KEY (set_name, version))`
	if _, err := conn.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("migrate %s: %w", set, err)
	}
	applied, err := appliedVersions(ctx, conn, db.Dialect, set)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", set, err)
	}
	for _, m := range migs {
		if applied[m.Version] {
			continue
		}
		if err := db.apply(ctx, conn, set, m); err != nil {
			return fmt.Errorf("migrate %s: %d_%s: %w", set, m.Version, m.Name, err)
		}
	}
	return nil
}

func appliedVersions(ctx context.Context, conn *sql.Conn, d Dialect, set string) (map[int64]bool, error) {
	rows, err := conn.QueryContext(ctx, "SELECT version FROM "+migrationsTable+" WHERE set_name = "+d.Placeholder(1), set)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := map[int64]bool{}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}

func (db *DB) apply(ctx context.Context, conn *sql.Conn, set string, m Migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.Up); err != nil {
		return err
	}
	d := db.Dialect
	now := "CURRENT_TIMESTAMP"
	if d == Postgres {
		now = "now()::text"
	}
	ins := fmt.Sprintf("INSERT INTO %s (set_name, version, name, applied_at) VALUES (%s, %s, %s, %s)",
		migrationsTable, d.Placeholder(1), d.Placeholder(2), d.Placeholder(3), now)
	if _, err := tx.ExecContext(ctx, ins, set, m.Version, m.Name); err != nil {
		return err
	}
	return tx.Commit()
}
