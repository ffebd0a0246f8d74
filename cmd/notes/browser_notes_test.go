package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/notes-app/notes/internal/testenv"
)

// listPageSize is web's page size (web/notes.go: pageSize); the pagination
// test creates one note more than a page holds.
const listPageSize = 20

// titlesAre selects the note list when its cards carry exactly these
// titles, in this order. As a DOM search it waits on an HTMX swap and works
// with scripts off.
func titlesAre(titles ...string) chromedp.Search {
	conds := []string{fmt.Sprintf(`count(.//*[@data-testid="note-card"])=%d`, len(titles))}
	for i, title := range titles {
		conds = append(conds, fmt.Sprintf(`(.//*[@data-testid="note-card"]//*[@data-testid="note-title"])[%d][normalize-space()=%s]`, i+1, xpathLiteral(title)))
	}
	return chromedp.Search(`//*[@data-testid="note-list"][` + strings.Join(conds, " and ") + `]`)
}

// cardCountIs selects the note list when it shows n cards.
func cardCountIs(n int) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//*[@data-testid="note-list"][count(.//*[@data-testid="note-card"])=%d]`, n))
}

// markDocument tags the current document; mustSameDocument later proves that
// no full page load happened in between (the steps ran as HTMX swaps).
func (b *tab) markDocument() {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](`window.__notesTestDocument = true`))
}

// mustSameDocument fails the test when the page was reloaded since
// markDocument.
func (b *tab) mustSameDocument(what string) {
	b.t.Helper()
	if !mustRun(b, chromedp.Evaluate[bool](`window.__notesTestDocument === true`)) {
		b.t.Fatalf("%s loaded a new page; want an in-place HTMX swap", what)
	}
}

// createNote adds a note with the inline create form (HTMX) and waits for
// the list to show it and the form to be empty again.
func (b *tab) createNote(title, content string, total int) {
	b.t.Helper()
	b.do(
		typeInto(in("note-create-form", "input-title"), title),
		typeInto(in("note-create-form", "input-content"), content),
		chromedp.Click(in("note-create-form", "note-save")),
		waitCount(total),
		chromedp.WaitVisible(chromedp.Search(cardWithTitle(title))),
		waitJS(`document.querySelector('[data-testid="note-create-form"] [data-testid="input-title"]').value === ""`),
	)
}

// addNotes creates n notes titled "<prefix> 01" and on through the create
// form, setting each title at once rather than typing it (pagination needs
// many notes), and returns their titles newest first. The list held total
// notes before. It works with scripts on (HTMX) and off (a form post).
func (b *tab) addNotes(prefix string, n, total int) []string {
	b.t.Helper()
	var titles []string
	for i := 1; i <= n; i++ {
		title := fmt.Sprintf("%s %02d", prefix, i)
		b.do(
			chromedp.SetValue(in("note-create-form", "input-title"), title),
			chromedp.Click(in("note-create-form", "note-save")),
			chromedp.WaitVisible(chromedp.Search(cardWithTitle(title))),
			waitCount(total+i),
			waitJS(`document.querySelector('[data-testid="note-create-form"] [data-testid="input-title"]').value === ""`),
		)
		titles = append([]string{title}, titles...)
	}
	return titles
}

// TestBrowserNotes is the main flow with JavaScript on, on each database:
// sign in with a password, create, edit and delete inline, search, sort,
// paginate, reload, open a note, sign out.
func TestBrowserNotes(t *testing.T) {
	t.Parallel()
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			inst := startInstance(t, map[string]string{"NOTES_DATABASE_URL": d.URL(t)})
			b := mustTab(t, inst.URL)
			const email = "linus@example.com"
			b.signUp(email)
			b.signOut()
			b.signIn(email)
			b.do(chromedp.WaitVisible(tid("empty-state")), waitCount(0))

			b.markDocument()
			b.createNote("Groceries", "milk, eggs", 1)
			b.createNote("Hasura permissions", "Row-level rules per role.", 2)
			b.createNote("Zebra facts", "Stripes are unique.", 3)

			// Edit inline: the card turns into a form and back.
			b.do(
				chromedp.Click(inCard("Groceries", "note-edit")),
				chromedp.WaitVisible(tid("note-edit-form")),
				typeInto(in("note-edit-form", "input-title"), "Apple pie"),
				typeInto(in("note-edit-form", "input-content"), "A **flaky** pastry."),
				chromedp.Click(in("note-edit-form", "input-public")),
				chromedp.Click(in("note-edit-form", "note-save")),
				chromedp.WaitNotPresent(tid("note-edit-form")),
				chromedp.WaitVisible(chromedp.Search(cardWithTitle("Apple pie"))),
				chromedp.WaitVisible(inCard("Apple pie", "note-public")),
				// The card is swapped in place: no jump until the list reloads.
				chromedp.WaitVisible(titlesAre("Zebra facts", "Hasura permissions", "Apple pie")),
			)
			// Cancelling an inline edit brings the card back unchanged.
			b.do(
				chromedp.Click(inCard("Hasura permissions", "note-edit")),
				chromedp.WaitVisible(tid("note-edit-form")),
				typeInto(in("note-edit-form", "input-title"), "Discarded"),
				chromedp.Click(in("note-edit-form", "note-cancel")),
				chromedp.WaitNotPresent(tid("note-edit-form")),
				chromedp.WaitVisible(titlesAre("Zebra facts", "Hasura permissions", "Apple pie")),
			)

			// Sort: each order puts a different note first.
			for _, s := range []struct {
				sort   string
				titles []string
			}{
				{"title", []string{"Apple pie", "Hasura permissions", "Zebra facts"}},
				{"created", []string{"Zebra facts", "Hasura permissions", "Apple pie"}},
				{"updated", []string{"Apple pie", "Zebra facts", "Hasura permissions"}},
			} {
				b.do(
					chromedp.SetValue(tid("select-sort"), s.sort),
					chromedp.Click(tid("search-submit")),
					chromedp.WaitVisible(titlesAre(s.titles...)),
				)
			}

			// Search as you type, in titles and in content.
			b.do(
				typeInto(tid("input-search"), "hasura"),
				waitCount(1),
				chromedp.WaitVisible(titlesAre("Hasura permissions")),
				waitJS(`location.search.includes("q=hasura")`),
				typeInto(tid("input-search"), "pastry"),
				waitCount(1),
				chromedp.WaitVisible(titlesAre("Apple pie")),
				waitJS(`location.search.includes("q=pastry")`),
				typeInto(tid("input-search"), "nothing like this"),
				waitCount(0),
				chromedp.WaitVisible(tid("empty-state")),
			)
			b.mustSameDocument("creating, editing, sorting and searching")

			// The search is in the address: a reload keeps it.
			b.do(
				typeInto(tid("input-search"), "hasura"),
				waitJS(`location.search.includes("q=hasura")`),
				chromedp.WaitVisible(titlesAre("Hasura permissions")),
				chromedp.Reload(),
				chromedp.WaitVisible(titlesAre("Hasura permissions")),
				waitCount(1),
			)
			if got := mustRun(b, chromedp.Value(tid("input-search"))); got != "hasura" {
				t.Errorf("after reload the search box holds %q, want hasura", got)
			}

			// Delete inline, after htmx's confirmation.
			b.do(b.open("/notes"), waitCount(3))
			b.markDocument()
			b.do(
				chromedp.Click(inCard("Zebra facts", "note-delete")),
				chromedp.WaitNotPresent(chromedp.Search(cardWithTitle("Zebra facts"))),
				waitCount(2),
				chromedp.WaitVisible(containingText("toast", "Note deleted.")),
				chromedp.WaitVisible(titlesAre("Apple pie", "Hasura permissions")),
			)

			// Paginate: one note more than a page.
			want := b.addNotes("Bulk note", listPageSize-1, 2)
			b.mustSameDocument("deleting and creating")
			total := listPageSize + 1
			want = append(want, "Apple pie", "Hasura permissions")
			b.do(
				b.open("/notes"),
				waitCount(total),
				chromedp.WaitVisible(withText("page-label", "Page 1 of 2")),
				chromedp.WaitVisible(titlesAre(want[:listPageSize]...)),
			)
			b.markDocument()
			b.do(
				chromedp.Click(tid("page-next")),
				chromedp.WaitVisible(withText("page-label", "Page 2 of 2")),
				chromedp.WaitVisible(titlesAre(want[listPageSize:]...)),
				waitJS(`location.search.includes("page=2")`),
			)
			b.mustSameDocument("paging")
			b.do(
				chromedp.Reload(),
				chromedp.WaitVisible(withText("page-label", "Page 2 of 2")),
				chromedp.WaitVisible(titlesAre(want[listPageSize:]...)),
				chromedp.Click(tid("page-prev")),
				chromedp.WaitVisible(withText("page-label", "Page 1 of 2")),
				chromedp.WaitVisible(cardCountIs(listPageSize)),
				waitJS(`!location.search.includes("page=")`),
			)
			// The browser's back and forward buttons walk the pages too.
			b.do(
				chromedp.NavigateBack(),
				chromedp.WaitVisible(withText("page-label", "Page 2 of 2")),
				chromedp.WaitVisible(titlesAre(want[listPageSize:]...)),
				chromedp.NavigateForward(),
				chromedp.WaitVisible(withText("page-label", "Page 1 of 2")),
				chromedp.WaitVisible(cardCountIs(listPageSize)),
			)

			// A fresh visit shows everything, and a note's page renders its
			// Markdown.
			b.do(
				b.open("/"),
				waitCount(total),
				chromedp.Click(inCard("Apple pie", "note-title")),
				chromedp.WaitVisible(tid("note-page")),
				chromedp.WaitVisible(withText("note-title", "Apple pie")),
				chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="note-body"]//strong[normalize-space()="flaky"]`)),
				chromedp.Click(tid("back-to-notes")),
				waitCount(total),
			)

			// Deleting the only note of the last page leaves one page: the
			// list shows it, not an empty page.
			b.do(
				b.open("/notes?page=2"),
				chromedp.WaitVisible(titlesAre("Hasura permissions")),
				chromedp.Click(inCard("Hasura permissions", "note-delete")),
				waitCount(listPageSize),
				chromedp.WaitVisible(cardCountIs(listPageSize)),
				chromedp.WaitNotPresent(tid("empty-state")),
			)
			b.signOut()
		})
	}
}

// TestBrowserSecondUserSeesNoOtherNotes runs two users side by side, each
// in a browser context of its own: neither sees, finds, opens nor edits the
// other's notes.
func TestBrowserSecondUserSeesNoOtherNotes(t *testing.T) {
	t.Parallel()
	inst := startInstance(t, nil)
	alice := mustTab(t, inst.URL)
	alice.signUp("alice@example.com")
	alice.createNote("Alice's secret plan", "Only for Alice.", 1)
	id := mustRun(alice, chromedp.AttributeValue(chromedp.Search(cardWithTitle("Alice's secret plan")), "data-note-id"))
	if !id.Exists || id.Value == "" {
		t.Fatal("the note card carries no data-note-id")
	}

	bob := mustTab(t, inst.URL)
	bob.do(bob.open("/notes"), chromedp.WaitVisible(tid("sign-in-page")))
	bob.signUp("bob@example.com")
	bob.do(
		chromedp.WaitVisible(tid("empty-state")),
		waitCount(0),
		typeInto(tid("input-search"), "secret"),
		waitJS(`location.search.includes("q=secret")`),
		waitCount(0),
	)
	for _, path := range []string{"/notes/" + id.Value, "/notes/" + id.Value + "/edit"} {
		bob.expectStatus(404, inst.URL+path)
		bob.do(
			bob.open(path),
			chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="error-page"][@data-status="404"]`)),
		)
		if txt := mustRun(bob, chromedp.Text(tid("error-page"))); strings.Contains(txt, "Alice") {
			t.Errorf("Bob's %s shows Alice's note: %q", path, txt)
		}
	}
	bob.do(bob.open("/notes"), waitCount(0))

	// Bob forges the update and delete posts for Alice's note from his own
	// page, with his own valid CSRF token: both are 404, nothing changes.
	for _, path := range []string{"/notes/" + id.Value, "/notes/" + id.Value + "/delete"} {
		bob.expectStatus(404, inst.URL+path)
		status := mustRun(bob, chromedp.Evaluate[int](fmt.Sprintf(`fetch(%q, {
			method: "POST",
			headers: {"X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content},
			body: new URLSearchParams({title: "Bob was here", content: "taken over"}),
		}).then(r => r.status)`, path), chromedp.EvalAwaitPromise))
		if status != 404 {
			t.Errorf("Bob's POST %s answered %d, want 404", path, status)
		}
	}
	bob.createNote("Bob's list", "", 1)

	alice.do(
		chromedp.Reload(),
		waitCount(1),
		chromedp.WaitVisible(titlesAre("Alice's secret plan")),
		chromedp.Click(inCard("Alice's secret plan", "note-title")),
		chromedp.WaitVisible(withText("note-body", "Only for Alice.")),
	)
}
