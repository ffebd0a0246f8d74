package main

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// submitNote adds a note with the create form as a plain form post: the
// server redirects back to the list, which shows the note.
func (b *tab) submitNote(title, content string, total int) {
	b.t.Helper()
	b.do(
		typeInto(in("note-create-form", "input-title"), title),
		typeInto(in("note-create-form", "input-content"), content),
		chromedp.Click(in("note-create-form", "note-save")),
		chromedp.WaitVisible(chromedp.Search(cardWithTitle(title))),
		waitCount(total),
	)
}

// mustQuery fails the test unless the tab's address has query parameter
// key set to want.
func (b *tab) mustQuery(key, want string) {
	b.t.Helper()
	loc := mustRun(b, chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatalf("parse location %q: %v", loc, err)
	}
	if got := u.Query().Get(key); got != want {
		b.t.Fatalf("at %s: %s=%q, want %q", loc, key, got, want)
	}
}

// TestBrowserWithoutJavaScript runs the main flow with script execution
// disabled: every action is a plain form or link, answered by a redirect
// or a full page.
func TestBrowserWithoutJavaScript(t *testing.T) {
	t.Parallel()
	inst := startInstance(t, nil)
	b := mustTab(t, inst.URL, withoutJavaScript)
	const email = "noscript@example.com"

	b.signUp(email)
	b.signOut()
	b.signIn(email)
	b.do(chromedp.WaitVisible(tid("empty-state")), waitCount(0))
	if mustRun(b, chromedp.Evaluate[bool](`typeof window.htmx === "undefined"`)) == false {
		t.Fatal("htmx is loaded: JavaScript is not disabled")
	}

	b.submitNote("Groceries", "milk, eggs", 1)
	b.do(chromedp.WaitVisible(containingText("toast", "Note added.")))
	b.submitNote("Hasura permissions", "Row-level rules per role.", 2)
	b.submitNote("Zebra facts", "Stripes are unique.", 3)

	// Edit: the card's link opens the edit page; saving shows the note.
	b.do(
		chromedp.Click(inCard("Groceries", "note-edit")),
		chromedp.WaitVisible(tid("note-edit-page")),
		typeInto(in("note-edit-form", "input-title"), "Apple pie"),
		typeInto(in("note-edit-form", "input-content"), "A **flaky** pastry."),
		chromedp.Click(in("note-edit-form", "note-save")),
		chromedp.WaitVisible(withText("note-title", "Apple pie")),
		chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="note-body"]//strong[normalize-space()="flaky"]`)),
		chromedp.Click(tid("back-to-notes")),
		chromedp.WaitVisible(titlesAre("Apple pie", "Zebra facts", "Hasura permissions")),
	)

	// Sort and search submit the search form as a GET.
	for _, s := range []struct {
		sort   string
		titles []string
	}{
		{"title", []string{"Apple pie", "Hasura permissions", "Zebra facts"}},
		{"created", []string{"Zebra facts", "Hasura permissions", "Apple pie"}},
	} {
		b.do(
			chromedp.SetValue(tid("select-sort"), s.sort),
			chromedp.Click(tid("search-submit")),
			chromedp.WaitVisible(titlesAre(s.titles...)),
		)
		b.mustQuery("sort", s.sort)
	}
	b.do(
		typeInto(tid("input-search"), "pastry"),
		chromedp.Click(tid("search-submit")),
		chromedp.WaitVisible(titlesAre("Apple pie")),
		waitCount(1),
	)
	b.mustQuery("q", "pastry")
	b.do(
		chromedp.Reload(),
		chromedp.WaitVisible(titlesAre("Apple pie")),
		b.open("/notes"),
		waitCount(3),
	)

	// Delete from the list: a plain post, no confirmation dialog.
	b.do(
		chromedp.Click(inCard("Zebra facts", "note-delete")),
		waitCount(2),
		chromedp.WaitVisible(containingText("toast", "Note deleted.")),
		chromedp.WaitVisible(titlesAre("Apple pie", "Hasura permissions")),
	)

	// Paginate with plain links.
	b.addNotes("Bulk note", listPageSize-1, 2)
	b.do(
		chromedp.WaitVisible(withText("page-label", "Page 1 of 2")),
		chromedp.WaitVisible(cardCountIs(listPageSize)),
		chromedp.Click(tid("page-next")),
		chromedp.WaitVisible(withText("page-label", "Page 2 of 2")),
		chromedp.WaitVisible(titlesAre("Hasura permissions")),
	)
	b.mustQuery("page", "2")

	// Edit from the note's own page, then delete from it.
	b.do(
		chromedp.Click(inCard("Hasura permissions", "note-title")),
		chromedp.WaitVisible(tid("note-page")),
		chromedp.Click(in("note-page", "note-edit")),
		chromedp.WaitVisible(tid("note-edit-page")),
		typeInto(in("note-edit-form", "input-title"), "Hasura permissions edited"),
		chromedp.Click(in("note-edit-form", "note-save")),
		chromedp.WaitVisible(withText("note-title", "Hasura permissions edited")),
		chromedp.Click(in("note-page", "note-delete")),
		chromedp.WaitVisible(containingText("toast", "Note deleted.")),
		waitCount(listPageSize),
		chromedp.Reload(),
		waitCount(listPageSize),
	)
	b.signOut()
}
