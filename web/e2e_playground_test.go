package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/notes-app/notes/backend"
	"github.com/notes-app/notes/web"
)

const tutorialQuery = "query {\n  notes {\n    id\n    title\n  }\n}"

func TestPlaygroundAnonymousNotesFails(t *testing.T) {
	t.Parallel()
	onEachDialect(t, func(t *testing.T, db func(*backend.Options)) {
		b, _ := mustStack(t, nil, nil, db)
		r := b.get("/playground")
		mustStatus(t, r, http.StatusOK)
		mustTestID(t, r, "playground-page", "playground-form", "example-notes", "example-insert-other", "playground-schema", "input-as")
		if !strings.Contains(r.body, `data-testid="schema-query">public_notes<`) || strings.Contains(r.body, `data-testid="schema-query">notes<`) {
			t.Fatal("anonymous schema sidebar wrong")
		}
		if !strings.Contains(html.UnescapeString(r.body), tutorialQuery) {
			t.Fatal("the tutorial's query is not the default")
		}
		r = b.post("/playground", url.Values{"query": {tutorialQuery}, "as": {"anonymous"}})
		mustStatus(t, r, http.StatusOK)
		mustTestID(t, r, "playground-result", "playground-request", "playground-response")
		body := html.UnescapeString(r.body)
		if !strings.Contains(body, "field 'notes' not found in type: 'query_root'") || !strings.Contains(body, "validation-failed") {
			t.Fatalf("anonymous notes did not fail with Hasura's message:\n%s", body)
		}
		if strings.Contains(body, "Authorization:") || strings.Contains(body, "X-Hasura-Admin-Secret") {
			t.Error("anonymous request shows a token or secret header")
		}
		// htmx gets the playground alone.
		r = b.htmx("POST", "/playground", url.Values{"query": {"{ public_notes { id } }"}, "as": {"anonymous"}}, "playground")
		mustStatus(t, r, http.StatusOK)
		mustTestID(t, r, "playground-result")
		if strings.Contains(r.body, "<html") {
			t.Error("htmx got the whole layout")
		}
		r = b.post("/playground", url.Values{"query": {"{ public_notes { id } }"}, "variables": {"[1]"}, "as": {"anonymous"}})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustTestID(t, r, "error-variables")
		r = b.post("/playground", url.Values{"query": {"{ notes { id } }"}, "as": {"role:user"}})
		mustStatus(t, r, http.StatusUnprocessableEntity) // not signed in
		mustTestID(t, r, "error-as")
	})
}

func TestPlaygroundIdentities(t *testing.T) {
	t.Parallel()
	onEachDialect(t, func(t *testing.T, db func(*backend.Options)) {
		b, st := mustStack(t, nil, nil, db)
		mustStatus(t, b.post("/sign-up", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
		mustStatus(t, b.post("/notes", url.Values{"title": {"Mine"}}), http.StatusSeeOther)

		r := b.get("/playground")
		if !strings.Contains(r.body, `<option value="role:user" selected`) || strings.Contains(r.body, `value="role:moderator"`) {
			t.Fatal("identities wrong for a user")
		}
		if !strings.Contains(r.body, `data-testid="schema-query">notes<`) {
			t.Fatal("user schema lacks notes")
		}
		r = b.post("/playground", url.Values{"query": {tutorialQuery}, "as": {"role:user"}})
		body := html.UnescapeString(r.body)
		if !strings.Contains(body, `"title": "Mine"`) || !strings.Contains(body, "Authorization: Bearer ") || !strings.Contains(body, "X-Hasura-Role: user") {
			t.Fatalf("user run:\n%s", body)
		}
		tok := st.signIn("ann@example.com", "correct-horse-battery")
		if strings.Contains(body, tok[20:60]) {
			t.Error("the token is shown whole")
		}
		r = b.post("/playground", url.Values{"query": {"mutation { insert_notes_one(object: {title: \"x\", user_id: \"00000000-0000-4000-8000-000000000000\"}) { id } }"}, "as": {"role:user"}})
		if !strings.Contains(html.UnescapeString(r.body), "field 'user_id' not found in type: 'notes_insert_input'") {
			t.Fatalf("insert for someone else:\n%s", r.body)
		}
		r = b.post("/playground", url.Values{"query": {`mutation { insert_notes_one(object: {title: ""}) { id } }`}, "as": {"role:user"}})
		if b := html.UnescapeString(r.body); !strings.Contains(b, "check constraint of an insert/update permission has failed") || !strings.Contains(b, "permission-error") {
			t.Fatalf("blank title insert did not fail the check:\n%s", b)
		}
		mustTestID(t, b.get("/playground?example=insert-blank"), "example-insert-blank", "playground-hint")
		mustStatus(t, b.post("/playground", url.Values{"query": {tutorialQuery}, "as": {"role:moderator"}}), http.StatusUnprocessableEntity)

		r = b.post("/playground", url.Values{"query": {tutorialQuery}, "as": {"admin"}, "secret": {"wrong"}})
		if b := html.UnescapeString(r.body); !strings.Contains(b, `"access-denied"`) || !strings.Contains(b, "x-hasura-admin-secret") {
			t.Fatalf("wrong admin secret:\n%.3000s", r.body)
		}
		r = b.post("/playground", url.Values{"query": {tutorialQuery}, "as": {"admin"}, "secret": {stackSecret}})
		body = html.UnescapeString(r.body)
		if !strings.Contains(body, `"title": "Mine"`) || strings.Contains(body, ": "+stackSecret) || !strings.Contains(body, "X-Hasura-Admin-Secret: ••••") {
			t.Fatalf("admin run:\n%s", body)
		}
	})
}

func TestPlaygroundNoAdminInRemoteMode(t *testing.T) {
	t.Parallel()
	b, _ := mustStack(t, nil, func(o *web.Options) { o.Standalone = false })
	r := b.get("/playground")
	if strings.Contains(r.body, `value="admin"`) {
		t.Fatal("admin offered in remote mode")
	}
	mustStatus(t, b.post("/playground", url.Values{"query": {tutorialQuery}, "as": {"admin"}, "secret": {stackSecret}}), http.StatusUnprocessableEntity)
}
