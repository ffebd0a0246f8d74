package engine_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/notes-app/notes/backend/engine"
	"github.com/notes-app/notes/internal/testenv"
)

const benchUser = "11111111-1111-4111-8111-111111111111"

// benchEngine starts the notes fixture with 500 notes per user.
func benchEngine(b *testing.B, dialect string) (*engine.Engine, *sql.DB) {
	b.Helper()
	var url string
	if dialect == "sqlite" {
		url = testenv.SQLiteURL(b)
	} else {
		url = testenv.Postgres(b)
	}
	eng := mustNotesEngine(b, dialect, url, engine.Options{AdminSecret: "s"})
	return eng, seedBench(b, eng)
}

func seedBench(b *testing.B, eng *engine.Engine) *sql.DB {
	b.Helper()
	var objs []map[string]any
	for i := 0; i < 500; i++ {
		objs = append(objs, map[string]any{"title": fmt.Sprintf("note %d", i), "body": "some text", "user_id": benchUser})
	}
	h := map[string]string{"X-Hasura-Admin-Secret": "s"}
	_, body := post(b, eng, h, map[string]any{
		"query":     `mutation($o: [notes_insert_input!]!) { insert_notes(objects: $o) { affected_rows } }`,
		"variables": map[string]any{"o": objs},
	})
	if !bytes.Contains(body, []byte(`"affected_rows":500`)) {
		b.Fatalf("seed: %s", body)
	}
	return engine.EngineDB(eng)
}

const benchList = `query { notes(where: {user_id: {_eq: "` + benchUser + `"}}, order_by: {updated_at: desc}, limit: 50) { id title body updated_at } }`

func benchHeaders() http.Header {
	h := http.Header{}
	h.Set("X-Hasura-Admin-Secret", "s")
	h.Set("X-Hasura-Role", "user")
	h.Set("X-Hasura-User-Id", benchUser)
	return h
}

// BenchmarkNotesList is the notes list through the HTTP handler.
func BenchmarkNotesList(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			eng, _ := benchEngine(b, d)
			body, _ := json.Marshal(map[string]any{"query": benchList})
			hdr := benchHeaders()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/v1/graphql", bytes.NewReader(body))
				req.Header = hdr.Clone()
				rec := httptest.NewRecorder()
				eng.ServeHTTP(rec, req)
				if rec.Code != 200 || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
					b.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
				}
			}
		})
	}
}

// BenchmarkNotesListHandSQL is the same list with hand-written SQL and
// JSON encoding in Go, the baseline the engine is measured against.
func BenchmarkNotesListHandSQL(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			_, db := benchEngine(b, d)
			q := `SELECT id, title, body, updated_at FROM notes WHERE user_id = $1 ORDER BY updated_at DESC LIMIT 50`
			if d == "sqlite" {
				q = `SELECT id, title, body, updated_at FROM notes WHERE user_id = ?1 ORDER BY updated_at DESC LIMIT 50`
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				rows, err := db.QueryContext(context.Background(), q, benchUser)
				if err != nil {
					b.Fatal(err)
				}
				type note struct {
					ID        string  `json:"id"`
					Title     string  `json:"title"`
					Body      *string `json:"body"`
					UpdatedAt string  `json:"updated_at"`
				}
				var notes []note
				for rows.Next() {
					var n note
					if err := rows.Scan(&n.ID, &n.Title, &n.Body, &n.UpdatedAt); err != nil {
						b.Fatal(err)
					}
					notes = append(notes, n)
				}
				rows.Close()
				if _, err := json.Marshal(map[string]any{"data": map[string]any{"notes": notes}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkInsertNoteOne is insert_notes_one as role user through the
// HTTP handler.
func BenchmarkInsertNoteOne(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			eng, _ := benchEngine(b, d)
			body, _ := json.Marshal(map[string]any{
				"query":     `mutation($t: String!, $b: String) { insert_notes_one(object: {title: $t, body: $b}) { id title } }`,
				"variables": map[string]any{"t": "bench", "b": "body"},
			})
			hdr := benchHeaders()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/v1/graphql", bytes.NewReader(body))
				req.Header = hdr.Clone()
				rec := httptest.NewRecorder()
				eng.ServeHTTP(rec, req)
				if bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
					b.Fatalf("%s", rec.Body.Bytes())
				}
			}
		})
	}
}

// BenchmarkInsertNoteHandSQL is the same insert written by hand:
// INSERT ... RETURNING in a transaction, JSON encoded in Go.
func BenchmarkInsertNoteHandSQL(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			_, db := benchEngine(b, d)
			q := `INSERT INTO notes (title, body, user_id) VALUES ($1, $2, $3) RETURNING id, title`
			if d == "sqlite" {
				q = `INSERT INTO notes (title, body, user_id) VALUES (?1, ?2, ?3) RETURNING id, title`
			}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				var id, title string
				if err := tx.QueryRowContext(ctx, q, "bench", "body", benchUser).Scan(&id, &title); err != nil {
					b.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
				if _, err := json.Marshal(map[string]any{"data": map[string]any{"insert_notes_one": map[string]string{"id": id, "title": title}}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
