package engine_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/notes-app/notes/backend/engine"
	"github.com/notes-app/notes/internal/testenv"
)

// modelNote is the plain-Go model of a notes row.
type modelNote struct{ user, title, body string }

// TestPermissionProperty runs random queries and mutations as random users
// and checks every answer against a plain-Go model of the notes
// permissions: no role reads, changes or deletes a row its permissions
// exclude, and every row they allow is visible.
func TestPermissionProperty(t *testing.T) {
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			runProperty(t, mustNotesEngine(t, d.Name, d.URL(t), engine.Options{AdminSecret: "s"}), 1500)
		})
	}
}

func runProperty(t *testing.T, eng *engine.Engine, steps int) {
	rng := rand.New(rand.NewPCG(7, 11))
	titles := []string{"alpha", "beta", "gamma", "delta"}
	var users []string
	for i := 0; i < 12; i++ {
		users = append(users, fmt.Sprintf("%08d-0000-4000-8000-%012d", i, i))
	}
	admin := map[string]string{"X-Hasura-Admin-Secret": "s"}
	call := func(h map[string]string, query string, vars map[string]any) map[string]json.RawMessage {
		t.Helper()
		_, body := post(t, eng, h, map[string]any{"query": query, "variables": vars})
		var out struct {
			Data   map[string]json.RawMessage
			Errors []any
		}
		if err := json.Unmarshal(body, &out); err != nil || out.Errors != nil {
			t.Fatalf("%s %v: %s", query, vars, body)
		}
		return out.Data
	}
	// Start from the fixture's rows plus the users above.
	model := map[string]modelNote{}
	var objs []map[string]any
	for _, u := range users {
		objs = append(objs, map[string]any{"id": u, "email": u + "@example.com"})
	}
	call(admin, `mutation($o: [users_insert_input!]!) { insertUsers(objects: $o) { affected_rows } }`, map[string]any{"o": objs})
	users = append(users, "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222")
	var existing []struct {
		ID, Title string
		UserID    string `json:"user_id"`
	}
	_ = json.Unmarshal(call(admin, `{ notes { id title user_id } }`, nil)["notes"], &existing)
	for _, n := range existing {
		model[n.ID] = modelNote{user: n.UserID, title: n.Title}
	}
	allIDs := func() []string {
		var ids []string
		for id := range model {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		return ids
	}
	for step := 0; step < steps; step++ {
		u := users[rng.IntN(len(users))]
		h := map[string]string{"X-Hasura-Admin-Secret": "s", "X-Hasura-Role": "user", "X-Hasura-User-Id": u}
		title := titles[rng.IntN(len(titles))]
		ids := allIDs()
		randomID := func() string {
			if len(ids) == 0 || rng.IntN(5) == 0 {
				return "ffffffff-0000-4000-8000-000000000000"
			}
			return ids[rng.IntN(len(ids))]
		}
		switch op := rng.IntN(7); op {
		case 0: // insert
			body := fmt.Sprintf("b%d", step)
			d := call(h, `mutation($t: String!, $b: String) { insert_notes_one(object: {title: $t, body: $b}) { id user_id } }`, map[string]any{"t": title, "b": body})
			var row struct {
				ID     string `json:"id"`
				UserID string `json:"user_id"`
			}
			_ = json.Unmarshal(d["insert_notes_one"], &row)
			if row.UserID != u {
				t.Fatalf("step %d: inserted note owned by %s, want %s", step, row.UserID, u)
			}
			model[row.ID] = modelNote{user: u, title: title, body: body}
		case 1: // list with a filter
			d := call(h, `query($t: String!) { notes(where: {title: {_eq: $t}}) { id } }`, map[string]any{"t": title})
			var rows []struct{ ID string }
			_ = json.Unmarshal(d["notes"], &rows)
			got := map[string]bool{}
			for _, r := range rows {
				got[r.ID] = true
			}
			for id, n := range model {
				if want := n.user == u && n.title == title; want != got[id] {
					t.Fatalf("step %d: user %s list %q: note %s visible=%v, want %v", step, u, title, id, got[id], want)
				}
			}
			if len(got) > len(model) {
				t.Fatalf("step %d: unknown rows %v", step, got)
			}
		case 2: // by pk
			id := randomID()
			d := call(h, `query($id: uuid!) { notes_by_pk(id: $id) { id } }`, map[string]any{"id": id})
			n, ok := model[id]
			if visible := string(d["notes_by_pk"]) != "null"; visible != (ok && n.user == u) {
				t.Fatalf("step %d: by_pk %s visible=%v for %s", step, id, visible, u)
			}
		case 3: // update by filter
			body := fmt.Sprintf("u%d", step)
			d := call(h, `mutation($t: String!, $b: String) { update_notes(where: {title: {_eq: $t}}, _set: {body: $b}) { affected_rows } }`, map[string]any{"t": title, "b": body})
			want := 0
			for id, n := range model {
				if n.user == u && n.title == title {
					n.body = body
					model[id] = n
					want++
				}
			}
			var r struct {
				AffectedRows int `json:"affected_rows"`
			}
			_ = json.Unmarshal(d["update_notes"], &r)
			if r.AffectedRows != want {
				t.Fatalf("step %d: update affected %d, want %d", step, r.AffectedRows, want)
			}
		case 4: // delete by pk
			id := randomID()
			d := call(h, `mutation($id: uuid!) { delete_notes_by_pk(id: $id) { id } }`, map[string]any{"id": id})
			n, ok := model[id]
			deleted := string(d["delete_notes_by_pk"]) != "null"
			if deleted != (ok && n.user == u) {
				t.Fatalf("step %d: delete %s by %s: deleted=%v", step, id, u, deleted)
			}
			if deleted {
				delete(model, id)
			}
		case 5: // aggregate
			d := call(h, `{ notes_aggregate { aggregate { count } } }`, nil)
			want := 0
			for _, n := range model {
				if n.user == u {
					want++
				}
			}
			if !strings.Contains(string(d["notes_aggregate"]), fmt.Sprintf(`"count":%d`, want)) && !strings.Contains(string(d["notes_aggregate"]), fmt.Sprintf(`"count" : %d`, want)) {
				t.Fatalf("step %d: count %s, want %d", step, d["notes_aggregate"], want)
			}
		case 6: // update by pk, title
			id := randomID()
			d := call(h, `mutation($id: uuid!, $t: String) { update_notes_by_pk(pk_columns: {id: $id}, _set: {title: $t}) { id } }`, map[string]any{"id": id, "t": title})
			n, ok := model[id]
			updated := string(d["update_notes_by_pk"]) != "null"
			if updated != (ok && n.user == u) {
				t.Fatalf("step %d: update_by_pk %s by %s: updated=%v", step, id, u, updated)
			}
			if updated {
				n.title = title
				model[id] = n
			}
		}
	}
	// Finally the whole table, as admin, equals the model.
	var rows []struct {
		ID, Title string
		UserID    string  `json:"user_id"`
		Body      *string `json:"body"`
	}
	_ = json.Unmarshal(call(admin, `{ notes { id title user_id body } }`, nil)["notes"], &rows)
	if len(rows) != len(model) {
		t.Fatalf("table has %d rows, model %d", len(rows), len(model))
	}
	for _, r := range rows {
		n := model[r.ID]
		body := ""
		if r.Body != nil {
			body = *r.Body
		}
		if n.user != r.UserID || n.title != r.Title || (n.body != "" && n.body != body) {
			t.Fatalf("row %s = %+v, model %+v", r.ID, r, n)
		}
	}
}
