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
	"time"

	"github.com/notes-app/notes/backend/engine"
	"github.com/notes-app/notes/internal/testenv"
)

// The benchmarks compare the engine, through its HTTP handler, with what a
// hand-written Go handler does for the same response on the same database:
// the same query (the user's filter, order and limit), the same JSON body
// (checked before timing), the same httptest request and recorder.
// Each has three parts: engine and hand alone (ns/op, allocs), and
// "ratio", which alternates the two in one loop and reports
// engine/hand = hand time / engine time, the engine's relative throughput;
// on a busy machine that ratio is the figure to trust.
//
//	go test -run '^$' -bench 'NotesList|InsertNoteOne' -benchtime 3s -count 6 ./backend/engine/

const benchUser = "11111111-1111-4111-8111-111111111111"

var benchDialects = []string{"sqlite", "postgres"}

// benchEngine starts the notes fixture with 500 notes for benchUser, each
// with its own updated_at so the order (and so the answer) is fixed. The
// timestamps have the form SQLite's column default writes
// (2025-03-01T08:00:00.000+00:00).
func benchEngine(b testing.TB, dialect string) (*engine.Engine, *sql.DB) {
	b.Helper()
	var url string
	if dialect == "sqlite" {
		url = testenv.SQLiteURL(b)
	} else {
		url = testenv.Postgres(b)
	}
	eng := mustNotesEngine(b, dialect, url, engine.Options{AdminSecret: "s"})
	db := seedBench(b, eng)
	// The app's migrations create this index (nhost/migrations and
	// nhost/sqlite/migrations); without it both sides would scan and sort
	// the table, a shared cost that hides the difference.
	if _, err := db.Exec(`CREATE INDEX notes_user_id_updated_at_idx ON notes (user_id, updated_at DESC)`); err != nil {
		b.Fatal(err)
	}
	// Postgres' autovacuum would analyze the table after the seed. (The app
	// never runs ANALYZE on SQLite; with sqlite_stat4 filled SQLite would
	// re-prepare, on every run, statements whose parameters feed the plan.)
	if dialect == "postgres" {
		if _, err := db.Exec(`ANALYZE notes`); err != nil {
			b.Fatal(err)
		}
	}
	return eng, db
}

func seedBench(b testing.TB, eng *engine.Engine) *sql.DB {
	b.Helper()
	var objs []map[string]any
	t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 500; i++ {
		objs = append(objs, map[string]any{
			"title": fmt.Sprintf("note %d", i), "body": "some text", "user_id": benchUser,
			"updated_at": t0.Add(time.Duration(i)*time.Minute + time.Duration(i*37)*time.Millisecond).Format("2006-01-02T15:04:05.000-07:00"),
		})
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
	h.Set("Content-Type", "application/json")
	h.Set("X-Hasura-Admin-Secret", "s")
	h.Set("X-Hasura-Role", "user")
	h.Set("X-Hasura-User-Id", benchUser)
	return h
}

// benchSide is one side of a comparison: a handler and the request body
// it is sent.
type benchSide struct {
	h    http.Handler
	body []byte
}

// serve sends one request the way both sides are sent it. Like net/http's
// server it gives the request a context that is cancelled when the
// handler returns (database/sql and pgx watch such contexts).
func (s benchSide) serve(b testing.TB, hdr http.Header) *httptest.ResponseRecorder {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", bytes.NewReader(s.body))
	req.Header = hdr.Clone()
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
		b.Fatalf("%d %s", rec.Code, rec.Body.Bytes())
	}
	return rec
}

// benchCompare runs the engine, the hand-written handler, and the two
// alternated in one loop.
func benchCompare(b *testing.B, eng, hand benchSide) {
	hdr := benchHeaders()
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			eng.serve(b, hdr)
		}
	})
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			hand.serve(b, hdr)
		}
	})
	b.Run("ratio", func(b *testing.B) {
		var te, th time.Duration
		i := 0
		for b.Loop() {
			first, second, tf, ts := eng, hand, &te, &th
			if i%2 == 1 {
				first, second, tf, ts = hand, eng, &th, &te
			}
			t := time.Now()
			first.serve(b, hdr)
			m := time.Now()
			second.serve(b, hdr)
			*tf += m.Sub(t)
			*ts += time.Since(m)
			i++
		}
		b.ReportMetric(float64(te.Nanoseconds())/float64(i), "engine-ns/op")
		b.ReportMetric(float64(th.Nanoseconds())/float64(i), "hand-ns/op")
		b.ReportMetric(float64(th)/float64(te), "engine/hand")
	})
}

// BenchmarkNotesList is the notes list (filter by user, order by
// updated_at desc, limit 50) through the engine vs. by hand.
func BenchmarkNotesList(b *testing.B) {
	for _, d := range benchDialects {
		b.Run(d, func(b *testing.B) {
			eng, db := benchEngine(b, d)
			body, _ := json.Marshal(map[string]any{"query": benchList})
			es := benchSide{eng, body}
			hs := benchSide{handNotesList(db, d), nil}
			hdr := benchHeaders()
			mustSameJSON(b, es.serve(b, hdr).Body.Bytes(), hs.serve(b, hdr).Body.Bytes())
			benchCompare(b, es, hs)
		})
	}
}

// handNotesList is the list as a hand-written handler serves it: one
// query for the signed-in user, rows scanned into a struct, timestamps
// put in Hasura's format (2025-03-01T08:00:00.37+00:00), JSON encoded in Go.
func handNotesList(db *sql.DB, dialect string) http.Handler {
	q := `SELECT id, title, body, updated_at FROM notes WHERE user_id = $1 ORDER BY updated_at DESC LIMIT 50`
	if dialect == "sqlite" {
		q = `SELECT id, title, body, updated_at FROM notes WHERE user_id = ?1 ORDER BY updated_at DESC LIMIT 50`
	}
	type note struct {
		ID        string  `json:"id"`
		Title     string  `json:"title"`
		Body      *string `json:"body"`
		UpdatedAt string  `json:"updated_at"`
	}
	type response struct {
		Data struct {
			Notes []note `json:"notes"`
		} `json:"data"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.QueryContext(r.Context(), q, r.Header.Get("X-Hasura-User-Id"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		var resp response
		resp.Data.Notes = []note{}
		for rows.Next() {
			var n note
			var at time.Time
			if dialect == "sqlite" {
				var s string
				if err = rows.Scan(&n.ID, &n.Title, &n.Body, &s); err == nil {
					at, err = time.Parse(time.RFC3339Nano, s)
				}
			} else {
				err = rows.Scan(&n.ID, &n.Title, &n.Body, &at)
			}
			n.UpdatedAt = at.UTC().Format("2006-01-02T15:04:05.999999-07:00")
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			resp.Data.Notes = append(resp.Data.Notes, n)
		}
		if err := rows.Err(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out, err := json.Marshal(resp)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(out)
	})
}

// mustSameJSON fails unless two bodies hold the same JSON, key order
// included (whitespace aside).
func mustSameJSON(b testing.TB, got, want []byte) {
	b.Helper()
	var g, w bytes.Buffer
	if err := json.Compact(&g, got); err != nil {
		b.Fatalf("engine body: %v: %s", err, got)
	}
	if err := json.Compact(&w, want); err != nil {
		b.Fatalf("hand body: %v: %s", err, want)
	}
	if !bytes.Equal(g.Bytes(), w.Bytes()) {
		b.Fatalf("bodies differ:\nengine %s\nhand   %s", g.Bytes(), w.Bytes())
	}
}

// BenchmarkInsertNoteOne is insert_notes_one as role user through the
// engine vs. a hand-written INSERT ... RETURNING in a transaction.
func BenchmarkInsertNoteOne(b *testing.B) {
	for _, d := range benchDialects {
		b.Run(d, func(b *testing.B) {
			eng, db := benchEngine(b, d)
			body, _ := json.Marshal(map[string]any{
				"query":     `mutation($t: String!, $b: String) { insert_notes_one(object: {title: $t, body: $b}) { id title } }`,
				"variables": map[string]any{"t": "bench", "b": "body"},
			})
			hbody, _ := json.Marshal(map[string]any{"title": "bench", "body": "body"})
			es := benchSide{eng, body}
			hs := benchSide{handInsertNote(db, d), hbody}
			hdr := benchHeaders()
			mustSameKeys(b, es.serve(b, hdr).Body.Bytes(), hs.serve(b, hdr).Body.Bytes())
			benchCompare(b, es, hs)
		})
	}
}

// handInsertNote is the insert as a hand-written handler does it: decode
// the JSON form, INSERT ... RETURNING in a transaction, JSON encode.
func handInsertNote(db *sql.DB, dialect string) http.Handler {
	q := `INSERT INTO notes (title, body, user_id) VALUES ($1, $2, $3) RETURNING id, title`
	if dialect == "sqlite" {
		q = `INSERT INTO notes (title, body, user_id) VALUES (?1, ?2, ?3) RETURNING id, title`
	}
	type note struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	type response struct {
		Data struct {
			Note note `json:"insert_notes_one"`
		} `json:"data"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Title string  `json:"title"`
			Body  *string `json:"body"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		ctx := r.Context()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer tx.Rollback()
		var resp response
		if err := tx.QueryRowContext(ctx, q, in.Title, in.Body, r.Header.Get("X-Hasura-User-Id")).Scan(&resp.Data.Note.ID, &resp.Data.Note.Title); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if err := tx.Commit(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out, err := json.Marshal(resp)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(out)
	})
}

// mustSameKeys fails unless two insert answers have the same shape (the
// generated ids differ).
func mustSameKeys(b testing.TB, got, want []byte) {
	b.Helper()
	var g, w struct {
		Data struct {
			Note map[string]any `json:"insert_notes_one"`
		} `json:"data"`
	}
	if err := json.Unmarshal(got, &g); err != nil {
		b.Fatalf("engine body: %v: %s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		b.Fatalf("hand body: %v: %s", err, want)
	}
	if len(g.Data.Note) != 2 || len(w.Data.Note) != 2 || g.Data.Note["title"] != w.Data.Note["title"] {
		b.Fatalf("answers differ:\nengine %s\nhand   %s", got, want)
	}
	if _, ok := w.Data.Note["id"]; !ok {
		b.Fatalf("hand answer has no id: %s", want)
	}
}
