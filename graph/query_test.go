package graph_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/notes-app/notes/graph"
)

// TestListNotesErrors covers the errors of the one-pass query path that
// ListNotes takes: the same sentinels as the library's path.
func TestListNotesErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		reply  string
		want   error
	}{
		{"expired", 200, `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}]}`, graph.ErrUnauthenticated},
		{"no field", 200, `{"errors":[{"message":"field 'notes' not found in type: 'query_root'","extensions":{"path":"$.selectionSet.notes","code":"validation-failed"}}]}`, graph.ErrForbidden},
		{"401", 401, `{"message":"unauthorized"}`, graph.ErrUnauthenticated},
		{"502", 502, `bad gateway`, graph.ErrUnavailable},
		{"not json", 200, `<html>`, graph.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.reply))
			}))
			defer srv.Close()
			_, err := graph.New(srv.URL, nil).WithToken("tok", "user").ListNotes(context.Background(), graph.ListParams{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	if _, err := graph.New(srv.URL, nil).ListNotes(context.Background(), graph.ListParams{}); !errors.Is(err, graph.ErrUnavailable) {
		t.Fatalf("unreachable: err = %v", err)
	}
}

// TestListNotesTimestamps: timestamps decode alike whether the answer
// writes them plainly or with JSON escapes.
func TestListNotesTimestamps(t *testing.T) {
	for _, ts := range []string{`"2026-01-02T03:04:05.5+00:00"`, `"2026-01-02T03:04:05.5\u002b00:00"`, `" 2026-01-02 03:04:05.5+00 "`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"data":{"notes":[{"id":"a","created_at":` + ts + `,"updated_at":` + ts + `}],"notes_aggregate":{"aggregate":{"count":1}}}}`))
		}))
		page, err := graph.New(srv.URL, nil).ListNotes(context.Background(), graph.ListParams{})
		srv.Close()
		if err != nil {
			t.Fatalf("%s: %v", ts, err)
		}
		want := time.Date(2026, 1, 2, 3, 4, 5, 5e8, time.UTC)
		if got := page.Notes[0].Updated(); !got.Equal(want) {
			t.Errorf("%s: got %v, want %v", ts, got, want)
		}
	}
}
