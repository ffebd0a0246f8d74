package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"

	"github.com/notes-app/notes/backend/engine"
	"github.com/notes-app/notes/internal/testenv"
	"gopkg.in/yaml.v3"
)

// bulk applies a tests-py /v1/query bulk document: SQL runs on the
// database, metadata operations become table files of a Hasura v3
// metadata directory.
func (e *confEnv) bulk(file string) {
	e.t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		e.t.Fatal(err)
	}
	var doc struct {
		Type string `yaml:"type"`
		Args []struct {
			Type string `yaml:"type"`
			Args any    `yaml:"args"`
		} `yaml:"args"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		// Some files hold a single operation rather than a bulk.
		e.t.Fatalf("%s: %v", file, err)
	}
	for _, op := range doc.Args {
		e.apply(op.Type, op.Args)
	}
}

func (e *confEnv) bulkIfExists(file string) {
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		return
	}
	e.bulk(file)
}

// geometryRe finds PostGIS types; without PostGIS they become text domains.
var geometryRe = regexp.MustCompile(`(?i)\b(geometry|geography)\b`)

func (e *confEnv) hasType(name string) bool {
	var n int
	_ = e.db.QueryRowContext(context.Background(), "SELECT count(*) FROM pg_type WHERE typname = $1", name).Scan(&n)
	return n > 0
}

func (e *confEnv) runSQL(sql string) {
	ctx := context.Background()
	if geometryRe.MatchString(sql) && !e.hasType("geometry") {
		var avail int
		_ = e.db.QueryRowContext(ctx, "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'").Scan(&avail)
		if avail > 0 {
			if _, err := e.db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS postgis"); err != nil {
				e.t.Fatalf("create extension postgis: %v", err)
			}
		} else {
			testenv.Unavailable(e.t, "PostGIS is not installed (apt-get install postgresql-15-postgis-3); this setup needs it")
		}
	}
	// This machine may lack the en_US locale; money then prints in C locale.
	sql = strings.ReplaceAll(sql, `SET lc_monetary TO "en_US.utf-8";`, "")
	if _, err := e.db.ExecContext(ctx, sql); err != nil {
		e.t.Fatalf("run_sql: %v\n%s", err, sql)
	}
}

// qualified reads a table reference: "name", {schema, name} or {table: ...}.
func qualified(v any) (string, string) {
	switch x := v.(type) {
	case string:
		return "public", x
	case map[string]any:
		if t, ok := x["table"]; ok {
			return qualified(t)
		}
		s, _ := x["schema"].(string)
		if s == "" {
			s = "public"
		}
		n, _ := x["name"].(string)
		return s, n
	}
	return "public", ""
}

func (e *confEnv) table(ref any) map[string]any {
	s, n := qualified(ref)
	k := s + "." + n
	t := e.tables[k]
	if t == nil {
		e.t.Fatalf("metadata operation on untracked table %s", k)
	}
	return t
}

func appendEntry(t map[string]any, key string, entry map[string]any) {
	list, _ := t[key].([]any)
	t[key] = append(list, entry)
}

func (e *confEnv) apply(typ string, rawArgs any) {
	args, _ := rawArgs.(map[string]any)
	switch typ {
	case "run_sql":
		sql, _ := args["sql"].(string)
		e.runSQL(sql)
	case "track_table":
		ref := rawArgs
		if _, ok := args["table"]; ok {
			ref = args["table"]
		}
		s, n := qualified(ref)
		k := s + "." + n
		if e.tables[k] == nil {
			e.tables[k] = map[string]any{"table": map[string]any{"schema": s, "name": n}}
			e.order = append(e.order, k)
		}
	case "create_object_relationship", "create_array_relationship":
		key := "object_relationships"
		if typ == "create_array_relationship" {
			key = "array_relationships"
		}
		appendEntry(e.table(args["table"]), key, map[string]any{"name": args["name"], "using": args["using"]})
	case "create_select_permission", "create_insert_permission", "create_update_permission", "create_delete_permission":
		kind := strings.TrimSuffix(strings.TrimPrefix(typ, "create_"), "_permission")
		appendEntry(e.table(args["table"]), kind+"_permissions", map[string]any{"role": args["role"], "permission": args["permission"]})
	case "insert":
		e.insertRows(args)
	case "add_computed_field":
		appendEntry(e.table(args["table"]), "computed_fields", map[string]any{"name": args["name"], "definition": args["definition"]})
	case "track_function", "drop_relationship":
		// Not used by the selected cases (see the corpus README).
	default:
		e.t.Logf("conformance setup: ignoring operation %s", typ)
	}
}

func (e *confEnv) insertRows(args map[string]any) {
	s, n := qualified(args["table"])
	objs, _ := args["objects"].([]any)
	tbl := `"` + s + `"."` + n + `"`
	for _, o := range objs {
		m, _ := o.(map[string]any)
		var cols []string
		for k := range m {
			cols = append(cols, k)
		}
		sort.Strings(cols)
		quoted := make([]string, len(cols))
		for i, c := range cols {
			quoted[i] = `"` + c + `"`
		}
		list := strings.Join(quoted, ", ")
		sel := make([]string, len(cols))
		plain := map[string]any{}
		params := []any{nil}
		for i, c := range cols {
			sel[i] = "r." + quoted[i]
			if g, ok := m[c].(map[string]any); ok && g["type"] != nil && g["coordinates"] != nil {
				// GeoJSON, as Hasura's insert parses geometry values.
				gb, _ := json.Marshal(normalize(g))
				params = append(params, string(gb))
				sel[i] = fmt.Sprintf("ST_GeomFromGeoJSON($%d::text)", len(params))
				continue
			}
			plain[c] = hasuraNumber(normalize(m[c]))
		}
		b, err := json.Marshal(normalize(plain))
		if err != nil {
			e.t.Fatal(err)
		}
		params[0] = string(b)
		q := "INSERT INTO " + tbl + " (" + list + ") SELECT " + strings.Join(sel, ", ") + " FROM json_populate_record(NULL::" + tbl + ", $1::json) AS r"
		if _, err := e.db.ExecContext(context.Background(), q, params...); err != nil {
			e.t.Fatalf("insert into %s: %v", tbl, err)
		}
	}
}

// engine writes the metadata directory and starts an engine on it.
func (e *confEnv) engine(opts engine.Options) *engine.Engine {
	fsys := fstest.MapFS{
		"version.yaml":             {Data: []byte("version: 3\n")},
		"databases/databases.yaml": {Data: []byte("- name: default\n  kind: postgres\n  tables: \"!include default/tables/tables.yaml\"\n")},
	}
	var includes []string
	for _, k := range e.order {
		t := e.tables[k]
		name := strings.ReplaceAll(k, ".", "_") + ".yaml"
		b, err := yaml.Marshal(t)
		if err != nil {
			e.t.Fatal(err)
		}
		fsys[path.Join("databases/default/tables", name)] = &fstest.MapFile{Data: b}
		includes = append(includes, `- "!include `+name+`"`)
	}
	fsys["databases/default/tables/tables.yaml"] = &fstest.MapFile{Data: []byte(strings.Join(includes, "\n") + "\n")}
	opts.DB = e.db
	opts.Metadata = fsys
	eng, err := engine.New(context.Background(), opts)
	if err != nil {
		e.t.Fatalf("engine.New: %v", err)
	}
	return eng
}

// hasuraNumber writes a fractional number as Hasura's /v1/query insert
// sends it to Postgres (binary numeric, base-10000 digit groups): the
// decimals padded to a multiple of four, which becomes a numeric's scale.
func hasuraNumber(v any) any {
	f, ok := v.(float64)
	if !ok || f == float64(int64(f)) {
		return v
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if pad := (4 - (len(s)-i-1)%4) % 4; pad > 0 {
			s += strings.Repeat("0", pad)
		}
	}
	return json.Number(s)
}
