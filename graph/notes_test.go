package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/notes-app/notes/graph"
)

type gqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables"`
}

// mustServer answers every GraphQL request with reply and records the last request.
func mustServer(t *testing.T, reply string) (*graph.Client, *gqlRequest, *http.Header) {
	t.Helper()
	var got gqlRequest
	var hdr http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr = r.Header.Clone()
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Errorf("decode request: %v", err)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(reply))
	}))
	t.Cleanup(srv.Close)
	return graph.New(srv.URL, srv.Client()).WithToken("tok", "user"), &got, &hdr
}

func TestListNotes(t *testing.T) {
	c, req, hdr := mustServer(t, `{"data":{"notes":[{"id":"a","title":"T","content":"C","is_public":false,
		"created_at":"2026-01-02T03:04:05.123456+00:00","updated_at":"2026-01-02 03:04:05+00"}],
		"notes_aggregate":{"aggregate":{"count":7}}}}`)
	page, err := c.ListNotes(context.Background(), graph.ListParams{Search: "50%_x", Sort: graph.SortTitle, Limit: 5, Offset: 10})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 7 || len(page.Notes) != 1 || page.Notes[0].Title != "T" || page.Notes[0].Updated().Year() != 2026 {
		t.Fatalf("page = %+v", page)
	}
	for _, want := range []string{"$where:notes_bool_exp!", "$order_by:[notes_order_by!]!", "notes_aggregate(where: $where)", "is_public"} {
		if !strings.Contains(req.Query, want) {
			t.Errorf("query %q lacks %q", req.Query, want)
		}
	}
	where, _ := json.Marshal(req.Variables["where"])
	if !strings.Contains(string(where), `"%50\\%\\_x%"`) {
		t.Errorf("where = %s", where)
	}
	if hdr.Get("Authorization") != "Bearer tok" || hdr.Get("X-Hasura-Role") != "user" {
		t.Errorf("headers = %v", hdr)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name  string
		reply string
		want  error
	}{
		{"null by pk", `{"data":{"notes_by_pk":null}}`, graph.ErrNotFound},
		{"expired", `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}]}`, graph.ErrUnauthenticated},
		{"permission", `{"errors":[{"message":"check constraint of an insert/update permission has failed","extensions":{"path":"$","code":"permission-error"}}]}`, graph.ErrForbidden},
		{"denied", `{"errors":[{"message":"Your requested role is not in allowed roles","extensions":{"path":"$","code":"access-denied"}}]}`, graph.ErrForbidden},
		{"constraint", `{"errors":[{"message":"Uniqueness violation","extensions":{"path":"$","code":"constraint-violation"}}]}`, graph.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := mustServer(t, tt.reply)
			_, err := c.GetNote(context.Background(), "00000000-0000-0000-0000-000000000000")
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	c := graph.New(srv.URL, nil).WithToken("tok", "")
	if err := c.DeleteNote(context.Background(), "x"); !errors.Is(err, graph.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad gateway", http.StatusBadGateway)
	}))
	defer srv2.Close()
	c = graph.New(srv2.URL, nil)
	if _, err := c.CreateNote(context.Background(), graph.NoteInput{Title: "x"}); !errors.Is(err, graph.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
}

func TestPublicNotes(t *testing.T) {
	c, req, _ := mustServer(t, `{"data":{"public_notes":[]}}`)
	if _, err := c.GetPublicNote(context.Background(), "x"); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(req.Query, "public_notes(where: $where, limit: 1)") || !strings.Contains(req.Query, "$where:public_notes_bool_exp!") {
		t.Errorf("query = %q", req.Query)
	}
}
