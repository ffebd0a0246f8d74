package engine_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/notes-app/notes/backend/engine"
	"github.com/notes-app/notes/backend/store"
	"github.com/notes-app/notes/internal/testenv"
)

// mustNhostEngine builds the project's real database (the auth server's
// schema files, then nhost/ migrations for the dialect) and starts the
// engine on the project's real metadata.
func mustNhostEngine(t *testing.T, dialect, url string) *engine.Engine {
	t.Helper()
	ctx := context.Background()
	root := testenv.RepoRoot(t)
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	authFiles, _ := filepath.Glob(filepath.Join(root, "backend", "authserver", "migrations", dialect, "*.sql"))
	if len(authFiles) == 0 {
		t.Skip("the auth server's migrations are not in the tree yet")
	}
	sort.Strings(authFiles)
	for _, f := range authFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, string(b)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	dir := "migrations/default"
	if dialect == "sqlite" {
		dir = "sqlite/migrations/default"
	}
	migs, err := store.LoadMigrations(os.DirFS(filepath.Join(root, "nhost")), dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, "nhost", migs); err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(ctx, engine.Options{DB: db, Metadata: os.DirFS(filepath.Join(root, "nhost", "metadata")),
		AdminSecret: "s", UnauthorizedRole: "public"})
	if err != nil {
		t.Fatalf("engine.New on nhost/metadata: %v", err)
	}
	return eng
}

// TestNhostProjectSchemasMatch loads the real Nhost project on both
// dialects and proves the SQLite twins expose exactly the Postgres schema
// for every role.
func TestNhostProjectSchemasMatch(t *testing.T) {
	lite := mustNhostEngine(t, "sqlite", testenv.SQLiteURL(t))
	pg := mustNhostEngine(t, "postgres", testenv.Postgres(t))
	for _, role := range []string{"admin", "user", "public", "me", "anonymous"} {
		h := map[string]string{"X-Hasura-Admin-Secret": "s", "X-Hasura-Role": role}
		_, a := post(t, lite, h, map[string]any{"query": introspectionQuery})
		_, b := post(t, pg, h, map[string]any{"query": introspectionQuery})
		if bytes.Contains(a, []byte(`"errors"`)) {
			t.Fatalf("role %s: %s", role, a)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("role %s: the SQLite and Postgres schemas differ", role)
		}
	}
	h := map[string]string{"X-Hasura-Admin-Secret": "s", "X-Hasura-Role": "user"}
	_, body := post(t, lite, h, map[string]any{"query": `{ __type(name: "notes_insert_input") { inputFields { name } } }`})
	if got := string(body); !strings.Contains(got, `"content"`) || strings.Contains(got, `"user_id"`) {
		t.Errorf("user's notes_insert_input: %s", got)
	}
}
