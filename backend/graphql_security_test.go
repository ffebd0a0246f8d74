package backend_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/notes-app/notes/internal/testenv"
)

// injectionPayloads are strings that would change a query built by
// pasting values into SQL: quotes, comments, stacked statements,
// backslashes, LIKE and regex metacharacters and look-alike quotes.
var injectionPayloads = []string{
	`'`,
	`' OR '1'='1`,
	`' OR 1=1 --`,
	`'; DROP TABLE notes; --`,
	`"; DROP TABLE notes; --`,
	`\'; DROP TABLE notes; --`,
	`\`,
	`\\'`,
	`%' OR user_id <> '' --`,
	`') OR ('a'='a`,
	`*/ OR 1=1 /*`,
	`$$; DROP TABLE notes; $$`,
	`E'\x27 OR 1=1`,
	`' UNION SELECT id, title FROM notes --`,
	`1; SELECT pg_sleep(10)`,
	"\u2032 OR 1=1 --", // prime
	"\u02bc OR 1=1 --", // modifier letter apostrophe
	"\uff07 OR 1=1 --", // fullwidth apostrophe
	"'\u200b OR 1=1 --",
	"a\u2028b'\u0085",
	`.*`,
	`%`,
	`_`,
}

// gqlString is s as a GraphQL string literal.
func gqlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

type gqlAnswer struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Path string `json:"path"`
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// mustGQLVars posts a query with variables and checks the answer is either
// data or a Hasura-shaped error a client could cause (never unexpected,
// which is what a broken statement would give). bad-request is Hasura's
// code for Postgres' invalid_escape_sequence (a LIKE pattern ending in \).
func mustGQLVars(t *testing.T, base string, header map[string]string, query string, vars map[string]any) gqlAnswer {
	t.Helper()
	body := map[string]any{"query": query}
	if vars != nil {
		body["variables"] = vars
	}
	b, _ := json.Marshal(body)
	st, raw := post(t, base+"/v1/graphql", header, string(b))
	if st != http.StatusOK {
		t.Fatalf("%s %v: status %d: %s", query, vars, st, raw)
	}
	var a gqlAnswer
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("%s %v: answer is not Hasura-shaped (%v): %s", query, vars, err, raw)
	}
	if (a.Data == nil) == (len(a.Errors) == 0) {
		t.Fatalf("%s %v: want data or errors, not both or neither: %s", query, vars, raw)
	}
	for _, e := range a.Errors {
		if e.Message == "" || e.Extensions.Path == "" || !slices.Contains([]string{"validation-failed", "parse-failed", "data-exception", "bad-request"}, e.Extensions.Code) {
			t.Fatalf("%s %v: error not one a client value may cause: %s", query, vars, raw)
		}
	}
	return a
}

// rowsOf returns the rows of a root field of a data answer.
func rowsOf(t *testing.T, a gqlAnswer, field string) []map[string]any {
	t.Helper()
	raw, ok := a.Data[field]
	if !ok {
		return nil
	}
	var rows []map[string]any
	if err := json.Unmarshal(raw, &rows); err != nil {
		var one map[string]any
		if err := json.Unmarshal(raw, &one); err != nil {
			t.Fatalf("%s: %s", field, raw)
		}
		if one != nil {
			if ret, ok := one["returning"].([]any); ok {
				for _, r := range ret {
					rows = append(rows, r.(map[string]any))
				}
			} else {
				rows = append(rows, one)
			}
		}
	}
	return rows
}

// TestSQLInjectionIsInert sends injection payloads in every argument
// position of the user role's schema, as literals and as variables: where
// values of each operator, order_by and distinct_on enum names and keys,
// limit and offset, insert objects, _set, primary keys, bool_exp keys.
// Each request fails validation with Hasura's error body or runs with the
// payload as a plain value; afterwards every table is intact and no row
// of the other user was read or changed.
func TestSQLInjectionIsInert(t *testing.T) {
	t.Parallel()
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			srv := mustBackend(t, d.URL(t), nil)
			ann, bob := mustSignUp(t, srv.URL, "ann@example.com"), mustSignUp(t, srv.URL, "bob@example.com")
			var bobNote struct {
				Data struct {
					Insert struct{ ID string } `json:"insert_notes_one"`
				}
			}
			json.Unmarshal([]byte(gql(t, srv.URL, bearer(bob), `mutation { insert_notes_one(object: {title: "bob's secret", content: "bob's words"}) { id } }`)), &bobNote)
			var annNote struct {
				Data struct {
					Insert struct{ ID string } `json:"insert_notes_one"`
				}
			}
			json.Unmarshal([]byte(gql(t, srv.URL, bearer(ann), `mutation { insert_notes_one(object: {title: "ann's", content: "x"}) { id } }`)), &annNote)
			annID := annNote.Data.Insert.ID
			h := bearer(ann)
			onlyAnn := func(t *testing.T, a gqlAnswer, field, what string) {
				t.Helper()
				for _, r := range rowsOf(t, a, field) {
					if uid, ok := r["user_id"]; !ok || uid != ann.User.ID {
						t.Fatalf("%s: a row that is not ann's came back: %v", what, r)
					}
				}
			}
			ops := []string{"_eq", "_neq", "_gt", "_gte", "_lt", "_lte", "_like", "_nlike", "_ilike", "_nilike", "_similar", "_nsimilar", "_regex", "_nregex", "_iregex", "_niregex"}
			for _, p := range injectionPayloads {
				lit := gqlString(p)
				for _, op := range ops {
					q := fmt.Sprintf(`{ notes(where: {title: {%s: %s}}) { user_id title } }`, op, lit)
					onlyAnn(t, mustGQLVars(t, srv.URL, h, q, nil), "notes", q)
					q = fmt.Sprintf(`query($v: String!) { notes(where: {_or: [{title: {%s: $v}}, {content: {%s: $v}}]}) { user_id } }`, op, op)
					onlyAnn(t, mustGQLVars(t, srv.URL, h, q, map[string]any{"v": p}), "notes", q)
				}
				for _, q := range []string{
					`{ notes(where: {title: {_in: [` + lit + `, "x"]}}) { user_id } }`,
					`{ notes(where: {_not: {title: {_nin: [` + lit + `]}}}) { user_id } }`,
					`{ notes(where: {id: {_eq: ` + lit + `}}) { user_id } }`,
					`{ notes(where: {user_id: {_eq: ` + lit + `}}) { user_id } }`,
					`{ notes(where: {created_at: {_gt: ` + lit + `}}) { user_id } }`,
					`{ notes_by_pk(id: ` + lit + `) { user_id } }`,
					`{ notes(order_by: {title: asc}, limit: ` + lit + `) { user_id } }`,
					`{ notes(offset: ` + lit + `) { user_id } }`,
					`{ notes_aggregate(where: {title: {_eq: ` + lit + `}}) { aggregate { count max { title } } nodes { user_id } } }`,
				} {
					a := mustGQLVars(t, srv.URL, h, q, nil)
					onlyAnn(t, a, "notes", q)
					onlyAnn(t, a, "notes_by_pk", q)
				}
				for _, c := range []struct {
					q    string
					vars map[string]any
				}{
					{`query($v: [String!]) { notes(where: {title: {_in: $v}}) { user_id } }`, map[string]any{"v": []any{p}}},
					{`query($w: notes_bool_exp) { notes(where: $w) { user_id } }`, map[string]any{"w": map[string]any{"title": map[string]any{"_eq": p}}}},
					{`query($w: notes_bool_exp) { notes(where: $w) { user_id } }`, map[string]any{"w": map[string]any{p: map[string]any{"_eq": "x"}}}},
					{`query($w: notes_bool_exp) { notes(where: $w) { user_id } }`, map[string]any{"w": map[string]any{"title": map[string]any{p: "x"}}}},
					{`query($o: [notes_order_by!]) { notes(order_by: $o) { user_id } }`, map[string]any{"o": []any{map[string]any{"title": p}}}},
					{`query($o: [notes_order_by!]) { notes(order_by: $o) { user_id } }`, map[string]any{"o": []any{map[string]any{p: "asc"}}}},
					{`query($d: [notes_select_column!]) { notes(distinct_on: $d) { user_id } }`, map[string]any{"d": []any{p}}},
					{`query($l: Int, $o: Int) { notes(limit: $l, offset: $o) { user_id } }`, map[string]any{"l": p, "o": p}},
					{`query($id: uuid!) { notes_by_pk(id: $id) { user_id } }`, map[string]any{"id": p}},
					{`query($id: uuid!) { notes(where: {user_id: {_eq: $id}}) { user_id } }`, map[string]any{"id": p}},
				} {
					a := mustGQLVars(t, srv.URL, h, c.q, c.vars)
					onlyAnn(t, a, "notes", c.q)
					onlyAnn(t, a, "notes_by_pk", c.q)
				}
				// Enum positions take names, not strings: a payload there is a
				// syntax or validation error, never SQL.
				for _, q := range []string{
					`{ notes(order_by: {title: ` + lit + `}) { user_id } }`,
					`{ notes(distinct_on: [` + lit + `]) { user_id } }`,
					`{ notes(distinct_on: title, order_by: {title: asc}) { user_id } }`,
				} {
					onlyAnn(t, mustGQLVars(t, srv.URL, h, q, nil), "notes", q)
				}

				// Writes: the payload is stored as it is and read back unchanged.
				a := mustGQLVars(t, srv.URL, h, `mutation { insert_notes_one(object: {title: `+lit+`, content: `+lit+`}) { id user_id title content } }`, nil)
				rows := rowsOf(t, a, "insert_notes_one")
				if len(rows) != 1 || rows[0]["title"] != p || rows[0]["content"] != p || rows[0]["user_id"] != ann.User.ID {
					t.Fatalf("insert %q came back as %v", p, rows)
				}
				a = mustGQLVars(t, srv.URL, h, `mutation($o: [notes_insert_input!]!) { insert_notes(objects: $o) { returning { user_id title } } }`,
					map[string]any{"o": []any{map[string]any{"title": p, "content": p}}})
				if rows := rowsOf(t, a, "insert_notes"); len(rows) != 1 || rows[0]["title"] != p || rows[0]["user_id"] != ann.User.ID {
					t.Fatalf("insert_notes %q came back as %v", p, rows)
				}
				for _, c := range []struct {
					q    string
					vars map[string]any
				}{
					{`mutation($o: notes_insert_input!) { insert_notes_one(object: $o) { user_id } }`, map[string]any{"o": map[string]any{"title": "x", p: "y"}}},
					{`mutation($o: notes_insert_input!) { insert_notes_one(object: $o) { user_id } }`, map[string]any{"o": map[string]any{"title": p, "user_id": bob.User.ID}}},
					{`mutation { update_notes(where: {title: {_eq: ` + lit + `}}, _set: {content: ` + lit + `}) { returning { user_id content } } }`, nil},
					{`mutation($s: notes_set_input, $w: notes_bool_exp!) { update_notes(where: $w, _set: $s) { returning { user_id } } }`,
						map[string]any{"w": map[string]any{"title": map[string]any{"_like": p}}, "s": map[string]any{"title": p}}},
					{`mutation($s: notes_set_input) { update_notes(where: {}, _set: $s) { returning { user_id } } }`, map[string]any{"s": map[string]any{p: "x"}}},
					{`mutation($s: notes_set_input) { update_notes(where: {}, _set: $s) { returning { user_id } } }`, map[string]any{"s": map[string]any{"user_id": bob.User.ID}}},
					{`mutation { update_notes_by_pk(pk_columns: {id: ` + lit + `}, _set: {title: "x"}) { user_id } }`, nil},
					{`mutation($id: uuid!) { update_notes_by_pk(pk_columns: {id: $id}, _set: {title: "x"}) { user_id } }`, map[string]any{"id": p}},
					{`mutation($c: String) { update_notes_by_pk(pk_columns: {id: "` + annID + `"}, _set: {content: $c}) { user_id } }`, map[string]any{"c": p}},
					{`mutation($id: uuid!) { update_notes_by_pk(pk_columns: {id: $id}, _set: {title: ` + lit + `}) { user_id } }`, map[string]any{"id": bobNote.Data.Insert.ID}},
					{`mutation { delete_notes_by_pk(id: ` + lit + `) { user_id } }`, nil},
					{`mutation($w: notes_bool_exp!) { delete_notes(where: $w) { returning { user_id } } }`, map[string]any{"w": map[string]any{"content": map[string]any{"_eq": p}}}},
				} {
					a := mustGQLVars(t, srv.URL, h, c.q, c.vars)
					for _, f := range []string{"insert_notes_one", "update_notes", "update_notes_by_pk", "delete_notes_by_pk", "delete_notes"} {
						onlyAnn(t, a, f, c.q)
					}
				}
			}

			// Afterwards: the tables are there and bob's note is untouched.
			admin := map[string]string{"X-Hasura-Admin-Secret": adminSecret}
			got := gql(t, srv.URL, admin, `{ users(order_by: {email: asc}) { email } notes(where: {user_id: {_eq: "`+bob.User.ID+`"}}) { title content } }`)
			want := `{"data":{"users":[{"email":"ann@example.com"},{"email":"bob@example.com"}],"notes":[{"title":"bob's secret","content":"bob's words"}]}}`
			if want = compact(t, want); got != want {
				t.Fatalf("after the payloads:\n got %s\nwant %s", got, want)
			}
			if got := gql(t, srv.URL, bearer(bob), `{ notes { title } }`); got != `{"data":{"notes":[{"title":"bob's secret"}]}}` {
				t.Fatalf("bob sees %s", got)
			}
		})
	}
}

// TestQueryLimitsCutAmplification: deep, wide, aliased and fragment-bomb
// queries are refused by the engine's default limits (depth 32, 5000
// fields) with a Hasura-shaped validation error before any SQL runs, for
// a signed-in user and for the public role alike; a batch is bounded too
// (100 requests), and a body over 1 MiB is 413.
func TestQueryLimitsCutAmplification(t *testing.T) {
	t.Parallel()
	srv := mustBackend(t, testenv.SQLiteURL(t), nil)
	ann := mustSignUp(t, srv.URL, "ann@example.com")
	gql(t, srv.URL, bearer(ann), `mutation { insert_notes_one(object: {title: "n"}) { id } }`)

	deep := "id" // 40 levels of nesting
	for range 40 {
		deep = "user { notes { " + deep + " } }"
	}
	var wide, aliases, frags strings.Builder
	for i := range 5001 {
		wide.WriteString(" id")
		fmt.Fprintf(&aliases, " a%d: notes_aggregate { aggregate { count } }", i)
	}
	// Fragment doubling: f20 expands to 2^20 fields.
	frags.WriteString("fragment f0 on notes { id title }\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&frags, "fragment f%d on notes { ...f%d ...f%d }\n", i, i-1, i-1)
	}
	depthErr := `{"errors":[{"extensions":{"code":"validation-failed","path":"$"},"message":"the query exceeds the maximum depth of 32"}]}`
	nodesErr := `{"errors":[{"extensions":{"code":"validation-failed","path":"$"},"message":"the query exceeds the maximum of 5000 fields"}]}`
	cases := []struct{ name, query, want string }{
		{"deep", "{ notes { " + deep + " } }", depthErr},
		{"deep through introspection", "{ __schema { types { fields { type { " + strings.Repeat("ofType { ", 40) + "name" + strings.Repeat(" }", 40) + " } } } } }", depthErr},
		{"wide", "{ notes {" + wide.String() + " } }", nodesErr},
		{"aliased amplification", "{" + aliases.String() + " }", nodesErr},
		{"fragment bomb", frags.String() + "{ notes { ...f20 } }", nodesErr},
	}
	for _, c := range cases {
		for who, h := range map[string]map[string]string{"user": bearer(ann), "public": nil} {
			t.Run(c.name+"/"+who, func(t *testing.T) {
				if got := gql(t, srv.URL, h, c.query); got != compact(t, c.want) {
					t.Fatalf("\n got %.300s\nwant %s", got, c.want)
				}
			})
		}
	}

	t.Run("batch amplification", func(t *testing.T) {
		// Within 1 MiB a batch holds ~40 000 small queries, each under
		// the per-operation limits: the batch itself must be bounded.
		one := `{"query":"{ notes { id } }"}`
		body := "[" + strings.TrimSuffix(strings.Repeat(one+",", 1001), ",") + "]"
		st, raw := post(t, srv.URL+"/v1/graphql", bearer(ann), body)
		want := `{"errors":[{"extensions":{"code":"validation-failed","path":"$"},"message":"the batch exceeds the maximum of 100 requests"}]}`
		if st != http.StatusOK || compact(t, raw) != compact(t, want) {
			t.Fatalf("status %d: %.300s", st, raw)
		}
		body = "[" + strings.TrimSuffix(strings.Repeat(one+",", 100), ",") + "]"
		if st, raw := post(t, srv.URL+"/v1/graphql", bearer(ann), body); st != http.StatusOK || !strings.HasPrefix(raw, `[{"data"`) {
			t.Fatalf("a batch of 100: %d %.300s", st, raw)
		}
	})

	t.Run("oversized body", func(t *testing.T) {
		body := `{"query":"{ notes { id } }","variables":{"pad":"` + strings.Repeat("x", 1<<20) + `"}}`
		st, raw := post(t, srv.URL+"/v1/graphql", bearer(ann), body)
		if st != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d: %.300s", st, raw)
		}
		var a gqlAnswer
		if err := json.Unmarshal([]byte(raw), &a); err != nil || a.Data != nil || len(a.Errors) != 1 || a.Errors[0].Extensions.Path != "$" || a.Errors[0].Extensions.Code == "" {
			t.Fatalf("413 body is not Hasura-shaped: %s", raw)
		}
	})
}

// TestPublicIntrospectionShowsOnlyPublicSchema: the unauthorized role
// (public) introspects only its own schema: the public_notes view, no
// mutations, nothing of notes or auth.
func TestPublicIntrospectionShowsOnlyPublicSchema(t *testing.T) {
	t.Parallel()
	srv := mustBackend(t, testenv.SQLiteURL(t), nil)
	for name, h := range map[string]map[string]string{
		"no headers":             nil,
		"spoofed role and admin": {"X-Hasura-Role": "admin", "X-Hasura-User-Id": "00000000-0000-4000-8000-000000000000"},
	} {
		t.Run(name, func(t *testing.T) {
			got := gql(t, srv.URL, h, `{ __schema { queryType { fields { name } } mutationType { name } subscriptionType { fields { name } } } }`)
			want := compact(t, `{"data":{"__schema":{"queryType":{"fields":[{"name":"public_notes"},{"name":"public_notes_aggregate"}]},"mutationType":null,
				"subscriptionType":{"fields":[{"name":"public_notes"},{"name":"public_notes_aggregate"},{"name":"public_notes_stream"}]}}}}`)
			if got != want {
				t.Fatalf("\n got %s\nwant %s", got, want)
			}
			var types struct {
				Data struct {
					Schema struct{ Types []struct{ Name string } } `json:"__schema"`
				}
			}
			json.Unmarshal([]byte(gql(t, srv.URL, h, `{ __schema { types { name } } }`)), &types)
			if len(types.Data.Schema.Types) == 0 {
				t.Fatal("no types")
			}
			for _, ty := range types.Data.Schema.Types {
				if ty.Name == "notes" || ty.Name == "users" || strings.HasPrefix(ty.Name, "notes_") || strings.HasPrefix(ty.Name, "users_") || strings.HasPrefix(ty.Name, "auth") || ty.Name == "mutation_root" {
					t.Errorf("public introspection shows %s", ty.Name)
				}
			}
		})
	}
}
