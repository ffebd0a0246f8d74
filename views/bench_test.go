package views_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/a-h/templ"

	"github.com/notes-app/notes/views"
)

// BenchmarkNotesPage renders a full notes page of 20 cards in the layout.
func BenchmarkNotesPage(b *testing.B) {
	list := views.NoteListProps{Page: 1, Pages: 3, Total: 55, SelfURL: "/notes", NextURL: "/notes?page=2"}
	for i := range 20 {
		list.Notes = append(list.Notes, views.NoteCardProps{
			ID: fmt.Sprintf("00000000-0000-0000-0000-%012d", i), Title: fmt.Sprintf("Note %d", i),
			Excerpt: "Some text of the note, cut to a short excerpt for the list.", Updated: "2 Jan 2026, 03:04 UTC",
		})
	}
	page := views.NotesPage(views.NotesProps{List: list})
	l := views.LayoutProps{Title: "Your notes", User: &views.UserBadge{Name: "Ann", Role: "user"}}
	ctx := templ.WithChildren(views.WithCSRF(context.Background(), "token"), page)
	b.ReportAllocs()
	for b.Loop() {
		if err := views.Layout(l).Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
