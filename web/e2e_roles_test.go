package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/notes-app/notes/backend"
)

func TestRolesModeratorReadsAllChangesNothing(t *testing.T) {
	t.Parallel()
	onEachDialect(t, func(t *testing.T, db func(*backend.Options)) {
		ann, st := mustStack(t, nil, nil, db)
		mustStatus(t, ann.post("/sign-up", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
		mustStatus(t, ann.post("/notes", url.Values{"title": {"Ann's secret"}}), http.StatusSeeOther)
		ids := mustCards(t, ann.get("/notes"))
		if len(ids) != 1 {
			t.Fatalf("ann has %d notes", len(ids))
		}
		id := ids[0]

		mo := ann.fork()
		mustStatus(t, mo.post("/sign-up", url.Values{"email": {"mo@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
		r := mo.get("/notes")
		mustTestID(t, r, "empty-state", "user-role")
		if strings.Contains(r.body, `value="moderator"`) {
			t.Fatal("moderator offered before the admin granted it")
		}
		st.admin(`mutation($id: uuid!, $u: uuid!) { insertAuthUserRole(object: {id: $id, userId: $u, role: "moderator"}) { id } }`,
			map[string]any{"id": uuid.NewString(), "u": st.userID("mo@example.com")})

		// The role reaches the session with the next token.
		mustStatus(t, mo.post("/token/refresh", nil), http.StatusSeeOther)
		r = mo.get("/notes")
		mustTestID(t, r, "role-switch", "role-select")
		if !strings.Contains(r.body, `<option value="moderator"`) {
			t.Fatal("moderator not offered after the grant")
		}
		mustStatus(t, mo.post("/role", url.Values{"role": {"admin"}}), http.StatusForbidden)
		mustStatus(t, mo.post("/role", url.Values{"role": {"anonymous"}}), http.StatusForbidden)
		r = mo.post("/role", url.Values{"role": {"moderator"}, "back": {"/notes"}})
		mustStatus(t, r, http.StatusSeeOther)
		mustHeader(t, r, "Location", "/notes")

		r = mo.get("/notes")
		if !strings.Contains(r.body, `data-testid="user-role">moderator<`) {
			t.Fatal("active role not shown as moderator")
		}
		if got := mustCards(t, r); len(got) != 1 || got[0] != id {
			t.Fatalf("moderator sees %v, want ann's note %s", got, id)
		}
		mustTestID(t, r, "read-only-banner")
		mustNoTestID(t, r, "note-edit")
		mustNoTestID(t, r, "note-delete")
		r = mo.get("/notes/" + id)
		mustStatus(t, r, http.StatusOK)
		mustNoTestID(t, r, "note-edit")
		mustTestID(t, ann.get("/notes/"+id), "note-edit")
		mustNoTestID(t, ann.get("/notes"), "read-only-banner")
		mustStatus(t, mo.post("/notes/"+id, url.Values{"title": {"moderated"}}), http.StatusForbidden)
		mustStatus(t, mo.post("/notes/"+id+"/delete", nil), http.StatusForbidden)
		mustStatus(t, mo.htmx("DELETE", "/notes/"+id, nil, "note-"+id), http.StatusForbidden)
		if !strings.Contains(ann.get("/notes/"+id).body, "Ann&#39;s secret") {
			t.Fatal("ann's note changed")
		}

		// The same lessons at the GraphQL API itself.
		moTok := st.signIn("mo@example.com", "correct-horse-battery")
		asMod := map[string]string{"Authorization": "Bearer " + moTok, "x-hasura-role": "moderator"}
		out := st.gql(asMod, `query { notes { id title user_id } notes_aggregate { aggregate { count } } }`, nil)
		if out["errors"] != nil || len(out["data"].(map[string]any)["notes"].([]any)) != 1 {
			t.Fatalf("moderator query: %v", out)
		}
		for _, m := range []string{
			`mutation { update_notes(where: {}, _set: {title: "x"}) { affected_rows } }`,
			`mutation($id: uuid!) { update_notes_by_pk(pk_columns: {id: $id}, _set: {title: "x"}) { id } }`,
			`mutation { delete_notes(where: {}) { affected_rows } }`,
			`mutation($id: uuid!) { delete_notes_by_pk(id: $id) { id } }`,
			`mutation { insert_notes_one(object: {title: "x"}) { id } }`,
		} {
			out := st.gql(asMod, m, map[string]any{"id": id})
			if msg, code := firstError(out); code != "validation-failed" {
				t.Errorf("%s as moderator: %q (%s), want refused", m, msg, code)
			}
		}

		annTok := st.signIn("ann@example.com", "correct-horse-battery")
		out = st.gql(map[string]string{"Authorization": "Bearer " + annTok, "x-hasura-role": "moderator"}, `query { notes { id } }`, nil)
		if msg, code := firstError(out); code != "access-denied" {
			t.Errorf("user acting as moderator: %q (%s), want access-denied", msg, code)
		}
	})
}

func TestRolesPublicSeesOnlyPublicNotes(t *testing.T) {
	t.Parallel()
	onEachDialect(t, func(t *testing.T, db func(*backend.Options)) {
		b, st := mustStack(t, nil, nil, db)
		mustStatus(t, b.post("/sign-up", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
		mustStatus(t, b.post("/notes", url.Values{"title": {"Open letter"}, "is_public": {"true"}}), http.StatusSeeOther)
		mustStatus(t, b.post("/notes", url.Values{"title": {"Diary"}}), http.StatusSeeOther)

		out := st.gql(nil, `query { notes { id title } }`, nil)
		if msg, code := firstError(out); msg != "field 'notes' not found in type: 'query_root'" || code != "validation-failed" {
			t.Errorf("anonymous notes: %q (%s)", msg, code)
		}
		out = st.gql(nil, `query { public_notes { user_id } }`, nil)
		if msg, _ := firstError(out); msg != "field 'user_id' not found in type: 'public_notes'" {
			t.Errorf("anonymous user_id: %q", msg)
		}
		out = st.gql(nil, `query { public_notes { id title } }`, nil)
		rows, _ := out["data"].(map[string]any)["public_notes"].([]any)
		if len(rows) != 1 || rows[0].(map[string]any)["title"] != "Open letter" {
			t.Fatalf("public_notes = %v", out)
		}
		out = st.gql(nil, `mutation { delete_notes(where: {}) { affected_rows } }`, nil)
		if msg, _ := firstError(out); msg == "" {
			t.Error("anonymous delete was not refused")
		}
	})
}

// TestRoleWithoutNotesPermissionIsExplained: acting as "me", a role every
// Nhost user has and the metadata grants nothing on notes, the notes page
// explains Hasura's per-role schema instead of failing.
func TestRoleWithoutNotesPermissionIsExplained(t *testing.T) {
	t.Parallel()
	onEachDialect(t, func(t *testing.T, db func(*backend.Options)) {
		b, _ := mustStack(t, nil, nil, db)
		mustStatus(t, b.post("/sign-up", url.Values{"email": {"me@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
		mustStatus(t, b.post("/notes", url.Values{"title": {"mine"}}), http.StatusSeeOther)
		r := b.post("/role", url.Values{"role": {"me"}, "back": {"/notes"}})
		mustStatus(t, r, http.StatusSeeOther)

		r = b.get("/notes")
		mustStatus(t, r, http.StatusOK)
		mustTestID(t, r, "role-no-access")
		mustNoTestID(t, r, "note-form")
		if !strings.Contains(r.body, "field 'notes' not found in type: 'query_root'") {
			i := strings.Index(r.body, "role-no-access")
			t.Fatalf("the page does not quote Hasura's answer:\n%s", r.body[i:min(len(r.body), i+1200)])
		}
		if strings.Contains(r.body, ">mine<") {
			t.Fatal("a role without permission shows notes")
		}

		mustStatus(t, b.post("/role", url.Values{"role": {"user"}, "back": {"/notes"}}), http.StatusSeeOther)
		r = b.get("/notes")
		mustNoTestID(t, r, "role-no-access")
		if len(mustCards(t, r)) != 1 {
			t.Fatal("back as user, the note is not listed")
		}
	})
}
