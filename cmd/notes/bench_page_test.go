package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/graph"
	"github.com/notes-app/notes/internal/loadgen"
	"github.com/notes-app/notes/internal/testenv"
	"github.com/notes-app/notes/views"
)

// pageConns is the number of connections the page benchmark keeps busy.
const pageConns = 32

// pageRounds is how many times each side runs in turn (A/B/A/B...), so
// that the machine's changing load hits both alike.
const pageRounds = 8

// BenchmarkPage compares GET /notes through the whole stack (session
// cookie decryption, token check, GraphQL through the in-process transport,
// engine, database, templ render) with a baseline Echo handler that renders
// the same page from memory, both over loopback HTTP at 32 connections in
// the same process, driven by the same client. One op is one request to
// each side. It reports both throughputs, their ratio (x-baseline = stack
// req/s / baseline req/s) and each side's p50 and p99.
//
// The user has 50 notes; the page shows the first 20 (the app's page size)
// with the pager. Before timing, the baseline's body is checked to be byte
// for byte the stack's.
func BenchmarkPage(b *testing.B) {
	for _, d := range testenv.Dialects() {
		b.Run(d.Name, func(b *testing.B) {
			stack, base, u := mustPageServers(b, d.URL(b))
			b.Run("conns=32", func(b *testing.B) {
				benchAB(b, pageConns,
					func(ctx context.Context) error { return pageOK(ctx, u, stack, "/notes") },
					func(ctx context.Context) error { return pageOK(ctx, u, base, "/notes") })
			})
		})
	}
}

// benchAB runs b.N calls of stack and of base from conns workers each, in
// pageRounds alternating rounds, and reports throughputs, ratio and
// latencies.
func benchAB(b *testing.B, conns int, stack, base func(context.Context) error) {
	ctx := b.Context()
	drive := func(n int, do func(context.Context) error) loadgen.Latencies {
		l := loadgen.Drive(ctx, n, conns, func(ctx context.Context, _ int) error { return do(ctx) })
		if l.Errors > 0 {
			b.Fatalf("%d errors, the first: %v", l.Errors, l.FirstErr)
		}
		return l
	}
	drive(4*conns, stack) // warm both: connections open, caches and plans filled
	drive(4*conns, base)
	var latA, latB loadgen.Latencies
	var durA, durB time.Duration
	b.ResetTimer()
	for r := range pageRounds {
		n := b.N / pageRounds
		if r < b.N%pageRounds {
			n++
		}
		if n == 0 {
			continue
		}
		l := drive(n, stack)
		durA += l.Elapsed
		latA.Merge(l)
		l = drive(n, base)
		durB += l.Elapsed
		latB.Merge(l)
	}
	b.StopTimer()
	rateA := float64(b.N) / durA.Seconds()
	rateB := float64(b.N) / durB.Seconds()
	b.ReportMetric(rateA, "stack-req/s")
	b.ReportMetric(rateB, "base-req/s")
	b.ReportMetric(rateA/rateB, "x-baseline")
	b.ReportMetric(benchMillis(latA.P(50)), "stack-p50-ms")
	b.ReportMetric(benchMillis(latA.P(99)), "stack-p99-ms")
	b.ReportMetric(benchMillis(latB.P(50)), "base-p50-ms")
	b.ReportMetric(benchMillis(latB.P(99)), "base-p99-ms")
}

var csrfValueRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// mustPageServers starts the whole program on dbURL with a user who has 50
// notes, and beside it the baseline server. It returns both base URLs and
// the user, whose cookie jar serves both (cookies ignore the port).
func mustPageServers(b *testing.B, dbURL string) (stackURL, baseURL string, u *loadgen.User) {
	b.Helper()
	inst := startInstance(b, map[string]string{
		"NOTES_DATABASE_URL":                        dbURL,
		"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false",
	})
	u = mustPrepareUser(b, inst.URL, "page", 50)
	want := mustPage(b, u, inst.URL, "/notes")
	csrf := csrfValueRE.FindSubmatch(want)
	if csrf == nil {
		b.Fatalf("no _csrf input on /notes")
	}

	token := mustAPISignIn(b, inst.URL, u.Email, u.Password)
	gc := graph.New(inst.URL+"/v1/graphql", nil).WithToken(token, "user")
	res, err := gc.ListNotes(b.Context(), graph.ListParams{Sort: graph.SortUpdated, Limit: 20})
	if err != nil {
		b.Fatal(err)
	}
	layout := views.LayoutProps{Title: "Your notes", DevInbox: true,
		User: &views.UserBadge{Name: u.Email, Role: "user", Roles: []string{"me", "user"}, Path: "/notes"}}
	page := views.NotesPage(views.NotesProps{List: benchListProps(res), Role: "user"})

	e := echo.New()
	e.HideBanner = true
	e.GET("/notes", func(c echo.Context) error {
		ctx := views.WithCSRF(c.Request().Context(), string(csrf[1]))
		var buf bytes.Buffer
		if err := views.Layout(layout).Render(templ.WithChildren(ctx, page), &buf); err != nil {
			return err
		}
		return c.HTMLBlob(http.StatusOK, buf.Bytes())
	})
	ts := httptest.NewServer(e)
	b.Cleanup(ts.Close)

	if got := mustGetBody(b, &http.Client{}, ts.URL+"/notes"); !bytes.Equal(got, want) {
		b.Fatalf("the baseline renders another page than the app:\n--- app\n%s\n--- baseline\n%s", want, got)
	}
	return inst.URL, ts.URL, u
}

// benchListProps maps a page of notes to the list's props as the app's
// notes handler does for page 1 of a list without search (the notes'
// content is plain text, so the excerpt is the content).
func benchListProps(res graph.NotePage) views.NoteListProps {
	pages := (res.Total + 19) / 20
	l := views.NoteListProps{Sort: "updated", Page: 1, Pages: pages, Total: res.Total, SelfURL: "/notes"}
	if pages > 1 {
		l.NextURL = "/notes?page=2"
	}
	for _, n := range res.Notes {
		l.Notes = append(l.Notes, views.NoteCardProps{
			ID: n.ID, Title: n.Title, Excerpt: n.Content, IsPublic: n.IsPublic,
			Updated:    n.Updated().UTC().Format("2 Jan 2006, 15:04 UTC"),
			UpdatedISO: n.Updated().UTC().Format(time.RFC3339),
		})
	}
	return l
}
