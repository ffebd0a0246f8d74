package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/notes-app/notes/backend/engine"
	"github.com/notes-app/notes/backend/store"
	"github.com/notes-app/notes/internal/testenv"
)

// mustNotesEngine starts an engine on the notes fixture for a dialect.
func mustNotesEngine(t testing.TB, dialect string, url string, opts engine.Options) *engine.Engine {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	schemaSQL, err := os.ReadFile("testdata/notes/schema." + dialect + ".sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, string(schemaSQL)); err != nil {
		t.Fatal(err)
	}
	opts.DB = db
	if opts.Metadata == nil {
		opts.Metadata = os.DirFS("testdata/notes/metadata")
	}
	eng, err := engine.New(ctx, opts)
	if err != nil {
		t.Fatalf("engine.New: %v", err)
	}
	return eng
}

func mustSQLiteDB(t *testing.T, schema string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), testenv.SQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(context.Background(), schema); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestNewRefusesJWTWithoutAdminSecret(t *testing.T) {
	db := mustSQLiteDB(t, "CREATE TABLE x (id integer primary key)")
	_, err := engine.New(context.Background(), engine.Options{DB: db, JWTSecret: `{"type":"HS256","key":"0123456789abcdef0123456789abcdef"}`})
	if !errors.Is(err, engine.ErrJWTNeedsAdminSecret) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "--jwt-secret (HASURA_GRAPHQL_JWT_SECRET) requires --admin-secret") {
		t.Errorf("message %q", err)
	}
	_, err = engine.New(context.Background(), engine.Options{DB: db, UnauthorizedRole: "public"})
	if !errors.Is(err, engine.ErrUnauthorizedRoleNeedsAdminSecret) {
		t.Fatalf("err = %v", err)
	}
}

func TestNewNamesFileAndKeyOnMismatch(t *testing.T) {
	db := mustSQLiteDB(t, "CREATE TABLE notes (id integer primary key, title text)")
	base := fstest.MapFS{
		"version.yaml":                         {Data: []byte("version: 3\n")},
		"databases/databases.yaml":             {Data: []byte("- name: default\n  kind: postgres\n  tables: \"!include default/tables/tables.yaml\"\n")},
		"databases/default/tables/tables.yaml": {Data: []byte("- \"!include public_notes.yaml\"\n")},
	}
	for name, tc := range map[string]struct{ file, want string }{
		"unknown table":      {"table: {name: nope, schema: public}\n", `public_notes.yaml: table: table "public.nope" does not exist`},
		"unknown column":     {"table: {name: notes, schema: public}\nselect_permissions:\n  - role: user\n    permission: {columns: [body], filter: {}}\n", `public_notes.yaml: select_permissions[0] (role user): permission.columns: column "body" does not exist`},
		"unknown config col": {"table: {name: notes, schema: public}\nconfiguration:\n  column_config:\n    body: {custom_name: b}\n", `configuration.column_config.body`},
		"bad relationship":   {"table: {name: notes, schema: public}\nobject_relationships:\n  - name: user\n    using: {foreign_key_constraint_on: title}\n", `object_relationships[0] (user): using.foreign_key_constraint_on`},
		"bad filter column":  {"table: {name: notes, schema: public}\nselect_permissions:\n  - role: user\n    permission: {columns: [id], filter: {$or: [{owner: {_eq: X-Hasura-User-Id}}]}}\n", `public_notes.yaml: select_permissions (role user): permission.filter.$or[0].owner: no column or relationship "owner"`},
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range base {
				fsys[k] = v
			}
			fsys["databases/default/tables/public_notes.yaml"] = &fstest.MapFile{Data: []byte(tc.file)}
			_, err := engine.New(context.Background(), engine.Options{DB: db, Metadata: fsys})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	eng := mustNotesEngine(t, "sqlite", testenv.SQLiteURL(t), engine.Options{MaxBodyBytes: 200, MaxDepth: 3})
	big := `{"query":"` + strings.Repeat(" ", 300) + `{ notes { id } }"}`
	rec := httptest.NewRecorder()
	eng.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/graphql", strings.NewReader(big)))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("big body: status %d", rec.Code)
	}
	status, body := post(t, eng, nil, map[string]any{"query": "{ notes { user { notes { id } } } }"})
	if status != 200 || !strings.Contains(string(body), "maximum depth") || !strings.Contains(string(body), `"code":"validation-failed"`) {
		t.Errorf("deep query: %d %s", status, body)
	}
	status, body = post(t, eng, nil, map[string]any{"query": "{ notes { user { id } } }"})
	if status != 200 || !strings.Contains(string(body), `"data"`) {
		t.Errorf("depth 3 query: %d %s", status, body)
	}
	rec = httptest.NewRecorder()
	eng.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/graphql", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d", rec.Code)
	}
}

// introspectionQuery is graphql-js getIntrospectionQuery() with every
// option on (descriptions, specifiedByURL, isRepeatable, schema
// description, input value deprecation), as GraphiQL sends it.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    description
    queryType { name kind } mutationType { name kind } subscriptionType { name kind }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL isOneOf
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } } }`

// TestSchemasMatchAcrossDialects proves the SQLite twin of the fixture
// exposes exactly the Postgres schema, for every role.
func TestSchemasMatchAcrossDialects(t *testing.T) {
	opts := engine.Options{AdminSecret: "s"}
	lite := mustNotesEngine(t, "sqlite", testenv.SQLiteURL(t), opts)
	pg := mustNotesEngine(t, "postgres", testenv.Postgres(t), opts)
	for _, role := range []string{"admin", "user", "public", "nobody"} {
		h := map[string]string{"X-Hasura-Admin-Secret": "s", "X-Hasura-Role": role}
		_, a := post(t, lite, h, map[string]any{"query": introspectionQuery})
		_, b := post(t, pg, h, map[string]any{"query": introspectionQuery})
		if bytes.HasPrefix(a, []byte(`{"errors"`)) {
			t.Fatalf("role %s: %.500s", role, a)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("role %s: SQLite and Postgres schemas differ", role)
		}
		if !bytes.Contains(a, []byte(`"queryType":{"name":"query_root","kind":"OBJECT"}`)) {
			t.Errorf("role %s: %.300s", role, a)
		}
	}
}

// TestUserSchemaFollowsReference checks the role user's notes types
// against the reference's §10.3 description.
func TestUserSchemaFollowsReference(t *testing.T) {
	eng := mustNotesEngine(t, "sqlite", testenv.SQLiteURL(t), engine.Options{AdminSecret: "s"})
	h := map[string]string{"X-Hasura-Admin-Secret": "s", "X-Hasura-Role": "user"}
	fieldsOf := func(typeName, list string) []string {
		t.Helper()
		q := `query($n: String!) { __type(name: $n) { ` + list + ` { name } } }`
		_, body := post(t, eng, h, map[string]any{"query": q, "variables": map[string]any{"n": typeName}})
		var out struct {
			Data struct {
				Type map[string][]struct{ Name string } `json:"__type"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		var names []string
		for _, f := range out.Data.Type[list] {
			names = append(names, f.Name)
		}
		return names
	}
	check := func(what string, got []string, want string) {
		t.Helper()
		if strings.Join(got, " ") != want {
			t.Errorf("%s = %v, want %s", what, got, want)
		}
	}
	check("notes_insert_input", fieldsOf("notes_insert_input", "inputFields"), "body title")
	check("notes_set_input", fieldsOf("notes_set_input", "inputFields"), "body title")
	check("notes_update_column", fieldsOf("notes_update_column", "enumValues"), "body title")
	check("notes", fieldsOf("notes", "fields"), "body created_at id title updated_at user user_id")
	check("query_root", fieldsOf("query_root", "fields"), "notes notes_aggregate notes_by_pk user users")
	check("subscription_root", fieldsOf("subscription_root", "fields"), "notes notes_aggregate notes_by_pk notes_stream user users users_stream")
	check("notes_stream_cursor_input", fieldsOf("notes_stream_cursor_input", "inputFields"), "initial_value ordering")
	check("mutation_root", fieldsOf("mutation_root", "fields"),
		"delete_notes delete_notes_by_pk insert_notes insert_notes_one updateUser updateUsers update_notes update_notes_by_pk update_notes_many update_users_many")
	check("notes_bool_exp", fieldsOf("notes_bool_exp", "inputFields"), "_and _not _or body created_at id title updated_at user user_id")
	check("users", fieldsOf("users", "fields"), "avatarUrl createdAt displayName email id locale notes notes_aggregate")
}

// TestPlanCacheSharesPlansAcrossUsers runs one query for two users of the
// same role concurrently: one cached plan, each user's own rows.
func TestPlanCacheSharesPlansAcrossUsers(t *testing.T) {
	eng := mustNotesEngine(t, "sqlite", testenv.SQLiteURL(t), engine.Options{AdminSecret: "s"})
	users := map[string]string{
		"11111111-1111-4111-8111-111111111111": `{"data":{"notes":[{"title" : "First"}, {"title" : "Second"}]}}`,
		"22222222-2222-4222-8222-222222222222": `{"data":{"notes":[{"title" : "Other"}]}}`,
	}
	query := map[string]any{"query": `query($o: [notes_order_by!]) { notes(order_by: $o) { title } }`, "variables": map[string]any{"o": []any{map[string]any{"title": "asc"}}}}
	errs := make(chan string, 40)
	done := make(chan struct{})
	for i := 0; i < 40; i++ {
		go func(i int) {
			defer func() { done <- struct{}{} }()
			for u, want := range users {
				h := map[string]string{"X-Hasura-Admin-Secret": "s", "X-Hasura-Role": "user", "X-Hasura-User-Id": u}
				if _, body := post(t, eng, h, query); normalizeSpaces(string(body)) != normalizeSpaces(want) {
					errs <- u + ": " + string(body)
				}
			}
		}(i)
	}
	for i := 0; i < 40; i++ {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if n := engine.CachedPlans(eng); n != 1 {
		t.Errorf("cached plans = %d, want 1", n)
	}
	// A missing session variable is still reported from a cached plan.
	_, body := post(t, eng, map[string]string{"X-Hasura-Admin-Secret": "s", "X-Hasura-Role": "user"}, query)
	if !strings.Contains(string(body), `missing session variable: \"x-hasura-user-id\"`) {
		t.Errorf("without user id: %s", body)
	}
}

func normalizeSpaces(s string) string { return strings.ReplaceAll(s, " ", "") }

// TestWideObjects selects more fields than one JSON function call takes
// (Postgres' 100 arguments, SQLite's limit) and checks order and nulls.
func TestWideObjects(t *testing.T) {
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, err := store.Open(ctx, d.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			var cols, names, vals []string
			for i := 1; i <= 120; i++ {
				cols = append(cols, fmt.Sprintf("c%d integer", i))
				names = append(names, fmt.Sprintf("c%d", i))
				if i%7 == 0 {
					vals = append(vals, "NULL")
				} else {
					vals = append(vals, fmt.Sprint(i))
				}
			}
			ddl := "CREATE TABLE wide (id integer PRIMARY KEY, " + strings.Join(cols, ", ") + ");" +
				"INSERT INTO wide (id, " + strings.Join(names, ", ") + ") VALUES (1, " + strings.Join(vals, ", ") + ")"
			if _, err := db.ExecContext(ctx, ddl); err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{
				"databases/databases.yaml":                  {Data: []byte("- name: default\n  tables: \"!include default/tables/tables.yaml\"\n")},
				"databases/default/tables/tables.yaml":      {Data: []byte("- \"!include public_wide.yaml\"\n")},
				"databases/default/tables/public_wide.yaml": {Data: []byte("table: {name: wide, schema: public}\n")},
			}
			eng, err := engine.New(ctx, engine.Options{DB: db, Metadata: fsys})
			if err != nil {
				t.Fatal(err)
			}
			// Reverse order, to see that keys follow the selection.
			var sel, want []string
			for i := 120; i >= 1; i-- {
				sel = append(sel, fmt.Sprintf("c%d", i))
				v := fmt.Sprint(i)
				if i%7 == 0 {
					v = "null"
				}
				want = append(want, fmt.Sprintf(`"c%d":%s`, i, v))
			}
			_, body := post(t, eng, nil, map[string]any{"query": "{ wide { " + strings.Join(sel, " ") + " } }"})
			got := strings.NewReplacer(" ", "", "\n", "").Replace(string(body))
			if w := `{"data":{"wide":[{` + strings.Join(want, ",") + `}]}}`; got != w {
				t.Errorf("got  %s\nwant %s", got, w)
			}
		})
	}
}

// TestReloadSeesMigrations: a column added after start appears after Reload.
func TestReloadSeesMigrations(t *testing.T) {
	eng := mustNotesEngine(t, "sqlite", testenv.SQLiteURL(t), engine.Options{AdminSecret: "s"})
	h := map[string]string{"X-Hasura-Admin-Secret": "s"}
	q := map[string]any{"query": `{ notes(limit: 1, order_by: {title: asc}) { title pinned } }`}
	if _, body := post(t, eng, h, q); !strings.Contains(string(body), "field 'pinned' not found in type: 'notes'") {
		t.Fatalf("before: %s", body)
	}
	if _, err := engine.EngineDB(eng).Exec("ALTER TABLE notes ADD COLUMN pinned boolean NOT NULL DEFAULT false"); err != nil {
		t.Fatal(err)
	}
	if err := eng.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, body := post(t, eng, h, q); !strings.Contains(string(body), `"pinned":false`) {
		t.Fatalf("after: %s", body)
	}
}
