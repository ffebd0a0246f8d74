package engine_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	graphql "github.com/hasura/go-graphql-client"
	"github.com/notes-app/notes/backend/engine"
	"github.com/notes-app/notes/internal/testenv"
)

type (
	notesBoolExp map[string]any
	notesOrderBy map[string]any
	notesInsert  map[string]any
	uuidScalar   string
)

func (notesBoolExp) GetGraphQLType() string { return "notes_bool_exp" }
func (notesOrderBy) GetGraphQLType() string { return "notes_order_by" }
func (notesInsert) GetGraphQLType() string  { return "notes_insert_input" }
func (uuidScalar) GetGraphQLType() string   { return "uuid" }

// TestGoGraphQLClient drives the engine with the client library the app
// uses (hasura/go-graphql-client), on both dialects.
func TestGoGraphQLClient(t *testing.T) {
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			eng := mustNotesEngine(t, d.Name, d.URL(t), engine.Options{AdminSecret: "s"})
			srv := httptest.NewServer(eng)
			t.Cleanup(srv.Close)
			client := graphql.NewClient(srv.URL, srv.Client()).WithRequestModifier(func(r *http.Request) {
				r.Header.Set("X-Hasura-Admin-Secret", "s")
				r.Header.Set("X-Hasura-Role", "user")
				r.Header.Set("X-Hasura-User-Id", "11111111-1111-4111-8111-111111111111")
			})
			ctx := context.Background()
			type note struct {
				ID    string `graphql:"id"`
				Title string `graphql:"title"`
				Body  *string
			}
			var m struct {
				Note *note `graphql:"insert_notes_one(object: $object)"`
			}
			if err := client.Mutate(ctx, &m, map[string]any{"object": notesInsert{"title": "100% sure_thing", "body": "x"}}); err != nil {
				t.Fatal(err)
			}
			if m.Note == nil || m.Note.Title != "100% sure_thing" {
				t.Fatalf("insert: %+v", m.Note)
			}
			var q struct {
				Notes     []note `graphql:"notes(where: $where, order_by: $order_by, limit: $limit, offset: $offset)"`
				Aggregate struct {
					Aggregate struct {
						Count int `graphql:"count"`
					} `graphql:"aggregate"`
				} `graphql:"notes_aggregate(where: $where)"`
			}
			vars := map[string]any{
				"where": notesBoolExp{"_or": []any{
					map[string]any{"title": map[string]any{"_ilike": `%0\% S%`}},
					map[string]any{"body": map[string]any{"_ilike": `%\_nothing%`}},
				}},
				"order_by": []notesOrderBy{{"updated_at": "desc"}, {"id": "asc"}},
				"limit":    10,
				"offset":   0,
			}
			if err := client.Query(ctx, &q, vars); err != nil {
				t.Fatal(err)
			}
			if len(q.Notes) != 1 || q.Notes[0].ID != m.Note.ID || q.Aggregate.Aggregate.Count != 1 {
				t.Fatalf("search: %+v", q)
			}
			var get struct {
				Note *note `graphql:"notes_by_pk(id: $id)"`
			}
			if err := client.Query(ctx, &get, map[string]any{"id": uuidScalar("aaaaaaaa-0000-4000-8000-000000000003")}); err != nil {
				t.Fatal(err)
			}
			if get.Note != nil {
				t.Fatalf("another user's note is visible: %+v", get.Note)
			}
		})
	}
}
