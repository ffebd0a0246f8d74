package main

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserFormErrors sends bad forms, with JavaScript on (the note form
// is an HTMX swap) and off (a full page): each comes back with its message
// and the typed input kept, and the corrected form goes through.
func TestBrowserFormErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		opts []tabOption
	}{
		{"javascript", nil},
		{"no-javascript", []tabOption{withoutJavaScript}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			inst := startInstance(t, nil)
			b := mustTab(t, inst.URL, c.opts...)
			const email = "typo@example.com"
			b.signUp(email)
			b.signOut()

			b.expectStatus(422, inst.URL+"/sign-in")
			b.do(
				typeInto(in("sign-in-form", "input-email"), email),
				typeInto(in("sign-in-form", "input-password"), "not-the-password"),
				chromedp.Click(tid("sign-in-submit")),
				chromedp.WaitVisible(tid("form-error")),
				chromedp.WaitVisible(tid("sign-in-page")),
			)
			if got := mustRun(b, chromedp.Value(in("sign-in-form", "input-email"))); got != email {
				t.Errorf("after a wrong password the email field holds %q, want %q", got, email)
			}
			b.signIn(email)

			b.expectStatus(422, inst.URL+"/notes")
			b.do(
				typeInto(in("note-create-form", "input-content"), "A note without a title"),
				chromedp.Click(in("note-create-form", "note-save")),
				chromedp.WaitVisible(in("note-create-form", "error-title")),
				waitCount(0),
			)
			if got := mustRun(b, chromedp.Value(in("note-create-form", "input-content"))); got != "A note without a title" {
				t.Errorf("after a missing title the content holds %q", got)
			}
			b.do(
				typeInto(in("note-create-form", "input-title"), "Now with a title"),
				chromedp.Click(in("note-create-form", "note-save")),
				chromedp.WaitVisible(chromedp.Search(cardWithTitle("Now with a title"))),
				waitCount(1),
				chromedp.WaitNotPresent(in("note-create-form", "error-title")),
			)

			// Editing (inline with JavaScript, the edit page without) with
			// the title removed.
			id := mustRun(b, chromedp.AttributeValue(chromedp.Search(cardWithTitle("Now with a title")), "data-note-id"))
			b.expectStatus(422, inst.URL+"/notes/"+id.Value)
			b.do(
				chromedp.Click(inCard("Now with a title", "note-edit")),
				chromedp.WaitVisible(tid("note-edit-form")),
				typeInto(in("note-edit-form", "input-title"), ""),
				chromedp.Click(in("note-edit-form", "note-save")),
				chromedp.WaitVisible(in("note-edit-form", "error-title")),
				typeInto(in("note-edit-form", "input-title"), "Renamed"),
				chromedp.Click(in("note-edit-form", "note-save")),
				chromedp.WaitVisible(withText("note-title", "Renamed")),
				chromedp.WaitNotPresent(tid("note-edit-form")),
			)
		})
	}
}
