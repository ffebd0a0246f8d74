package store_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/notes-app/notes/backend/store"
	"github.com/notes-app/notes/internal/testenv"
)

func TestMigrateAppliesOnceInOrder(t *testing.T) {
	t.Parallel()
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, err := store.Open(ctx, d.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			fsys := fstest.MapFS{
				"m/2_second/up.sql":      {Data: []byte("INSERT INTO widgets (name) VALUES ('b');")},
				"m/1_first/up.sql":       {Data: []byte("CREATE TABLE widgets (name text NOT NULL); INSERT INTO widgets (name) VALUES ('a');")},
				"m/3_down_only/down.sql": {Data: []byte("DROP TABLE widgets;")},
			}
			migs, err := store.LoadMigrations(fsys, "m")
			if err != nil {
				t.Fatal(err)
			}
			if len(migs) != 2 || migs[0].Version != 1 || migs[1].Name != "second" {
				t.Fatalf("loaded %+v", migs)
			}
			for range 2 {
				if err := db.Migrate(ctx, "app", migs); err != nil {
					t.Fatal(err)
				}
			}
			var names string
			row := db.QueryRowContext(ctx, "SELECT string_agg(name, ',' ORDER BY name) FROM widgets")
			if db.Dialect == store.SQLite {
				row = db.QueryRowContext(ctx, "SELECT group_concat(name, ',') FROM (SELECT name FROM widgets ORDER BY name)")
			}
			if err := row.Scan(&names); err != nil {
				t.Fatal(err)
			}
			if names != "a,b" {
				t.Fatalf("rows = %q, want a,b (each migration once)", names)
			}
		})
	}
}

func TestMigrateRollsBackAFailedStep(t *testing.T) {
	t.Parallel()
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, err := store.Open(ctx, d.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			migs := []store.Migration{
				{Version: 1, Name: "ok", Up: "CREATE TABLE a (x integer)"},
				{Version: 2, Name: "bad", Up: "CREATE TABLE b (x integer); INSERT INTO nowhere VALUES (1)"},
			}
			err = db.Migrate(ctx, "app", migs)
			if err == nil || !strings.Contains(err.Error(), "2_bad") {
				t.Fatalf("err = %v, want the failing migration named", err)
			}
			if _, err := db.ExecContext(ctx, "SELECT x FROM b"); err == nil {
				t.Fatal("table b exists: the failed migration was half-applied")
			}
			if _, err := db.ExecContext(ctx, "SELECT x FROM a"); err != nil {
				t.Fatalf("table a missing: %v", err)
			}
		})
	}
}

func TestOpenRejectsUnknownURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "mysql://root@localhost/x", "sqlite:"} {
		if _, err := store.Open(context.Background(), u); err == nil {
			t.Errorf("Open(%q) succeeded", u)
		}
	}
}

func TestTableNames(t *testing.T) {
	t.Parallel()
	cases := []struct {
		d            store.Dialect
		schema, name string
		want         string
	}{
		{store.Postgres, "auth", "users", `"auth"."users"`},
		{store.Postgres, "", "notes", `"public"."notes"`},
		{store.SQLite, "auth", "users", `"auth_users"`},
		{store.SQLite, "public", "notes", `"notes"`},
		{store.SQLite, "public", `we"ird`, `"we""ird"`},
	}
	for _, c := range cases {
		if got := c.d.Table(c.schema, c.name); got != c.want {
			t.Errorf("%v.Table(%q, %q) = %s, want %s", c.d, c.schema, c.name, got, c.want)
		}
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	got := store.Redact("postgres://u:secret@h/db")
	if strings.Contains(got, "secret") {
		t.Fatalf("Redact leaked the password: %s", got)
	}
}
