package authserver

import (
	"context"
	"embed"
	"fmt"

	"github.com/notes-app/notes/backend/store"
)

//go:embed migrations
var migrationFS embed.FS

// migrationSet is the name under which store records the auth migrations.
const migrationSet = "auth"

// Migrate applies the auth schema (Nhost's auth tables plus the dev
// outbox) to db. It is idempotent and safe to run from several instances.
func Migrate(ctx context.Context, db *store.DB) error {
	dir := "migrations/sqlite"
	if db.Dialect == store.Postgres {
		dir = "migrations/postgres"
	}
	entries, err := migrationFS.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("auth migrations: %w", err)
	}
	var migs []store.Migration
	for _, e := range entries {
		var v int64
		var name string
		if _, err := fmt.Sscanf(e.Name(), "%04d_%s", &v, &name); err != nil {
			return fmt.Errorf("auth migrations: bad file name %s", e.Name())
		}
		up, err := migrationFS.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return fmt.Errorf("auth migrations: %w", err)
		}
		migs = append(migs, store.Migration{Version: v, Name: name, Up: string(up)})
	}
	if err := db.Migrate(ctx, migrationSet, migs); err != nil {
		return fmt.Errorf("auth migrations: %w", err)
	}
	return nil
}
