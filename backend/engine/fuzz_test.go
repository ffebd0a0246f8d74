package engine_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/notes-app/notes/backend/engine"
	"github.com/notes-app/notes/internal/testenv"
)

// FuzzRequest feeds arbitrary bodies through the whole request path (JSON,
// parse, validate, compile, execute) as role user: no panic, and always a
// JSON answer with data or errors.
func FuzzRequest(f *testing.F) {
	for _, seed := range []string{
		`{"query":"{ notes { id title } }"}`,
		`{"query":"query($w: notes_bool_exp) { notes(where: $w) { id } }","variables":{"w":{"title":{"_ilike":"%a%"}}}}`,
		`{"query":"mutation { insert_notes_one(object: {title: \"x\"}) { id } }"}`,
		`{"query":"{ notes_aggregate { aggregate { count max { title } } nodes { id } } }"}`,
		`[{"query":"{ __schema { types { name } } }"},{"query":"{ users { notes { id } } }"}]`,
		`{"query":"{ notes(order_by: {user: {displayName: desc}}, limit: 2, offset: \"1\") { id } }"}`,
		`{"query":"fragment f on notes { id } { notes { ...f ... on notes { title } } }"}`,
		`not json`, `[]`, `{}`, `{"query": 1}`,
	} {
		f.Add([]byte(seed))
	}
	eng := mustNotesEngine(f, "sqlite", testenv.SQLiteURL(f), engine.Options{AdminSecret: "s"})
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/v1/graphql", nil)
		r.Header.Set("X-Hasura-Admin-Secret", "s")
		r.Header.Set("X-Hasura-Role", "user")
		r.Header.Set("X-Hasura-User-Id", "11111111-1111-4111-8111-111111111111")
		out := eng.Handle(context.Background(), r, body)
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("answer is not JSON: %s", out)
		}
		// A recovered panic or SQL the database rejects is a bug, not an answer.
		if strings.Contains(string(out), `"code":"unexpected"`) {
			t.Fatalf("unexpected error for %q: %s", body, out)
		}
	})
}
