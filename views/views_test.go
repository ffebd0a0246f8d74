package views_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"golang.org/x/net/html"

	"github.com/notes-app/notes/views"
)

// mustRender renders c (inside the layout when layout is true) and parses it.
func mustRender(t *testing.T, c templ.Component, layout bool) *html.Node {
	t.Helper()
	ctx := views.WithCSRF(context.Background(), "tok")
	var buf bytes.Buffer
	if layout {
		l := views.LayoutProps{Title: "T", User: &views.UserBadge{Name: "Ann", Role: "user"}, Flash: views.Flash{Kind: "success", Message: "Saved."}}
		if err := views.Layout(l).Render(templ.WithChildren(ctx, c), &buf); err != nil {
			t.Fatal(err)
		}
	} else if err := c.Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// byTestID returns the nodes carrying data-testid=id.
func byTestID(n *html.Node, id string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		for _, a := range d.Attr {
			if a.Key == "data-testid" && a.Val == id {
				out = append(out, d)
			}
		}
	}
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.TrimSpace(b.String())
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func mustOne(t *testing.T, doc *html.Node, id string) *html.Node {
	t.Helper()
	ns := byTestID(doc, id)
	if len(ns) != 1 {
		t.Fatalf("data-testid=%q: %d nodes, want 1", id, len(ns))
	}
	return ns[0]
}

func TestLayout(t *testing.T) {
	doc := mustRender(t, views.Empty(), true)
	if got := text(mustOne(t, doc, "user-name")); got != "Ann" {
		t.Errorf("user-name = %q", got)
	}
	if got := text(mustOne(t, doc, "user-role")); got != "user" {
		t.Errorf("user-role = %q", got)
	}
	if attr(mustOne(t, doc, "toasts"), "aria-live") != "polite" {
		t.Error("toast region is not aria-live")
	}
	if got := text(mustOne(t, doc, "toast")); !strings.Contains(got, "Saved.") {
		t.Errorf("toast = %q", got)
	}
	for d := range doc.Descendants() {
		if d.Type == html.ElementNode && d.Data == "script" && attr(d, "src") == "" {
			t.Error("inline script")
		}
		if attr(d, "style") != "" {
			t.Error("inline style")
		}
	}
}

func TestNotesPage(t *testing.T) {
	empty := mustRender(t, views.NotesPage(views.NotesProps{List: views.NoteListProps{Page: 1, Pages: 1, SelfURL: "/notes"}}), false)
	mustOne(t, empty, "empty-state")
	mustOne(t, empty, "note-create-form")
	if len(byTestID(empty, "pagination")) != 0 {
		t.Error("pagination on one page")
	}

	list := views.NoteListProps{
		Notes: []views.NoteCardProps{{ID: "a", Title: "<b>x</b>", Excerpt: "e"}, {ID: "b", Title: "y", IsPublic: true}},
		Query: "x", Sort: "title", Page: 2, Pages: 3, Total: 42, SelfURL: "/notes?page=2", PrevURL: "/notes", NextURL: "/notes?page=3",
	}
	doc := mustRender(t, views.NotesPage(views.NotesProps{List: list, Form: views.NoteFormProps{Errors: views.Errors{"title": "Give the note a title."}}}), false)
	if n := len(byTestID(doc, "note-card")); n != 2 {
		t.Fatalf("cards = %d", n)
	}
	if got := text(byTestID(doc, "note-title")[0]); got != "<b>x</b>" {
		t.Errorf("title not escaped as text: %q", got)
	}
	mustOne(t, doc, "note-public")
	mustOne(t, doc, "error-title")
	if got := text(mustOne(t, doc, "page-label")); got != "Page 2 of 3" {
		t.Errorf("page label = %q", got)
	}
	if attr(mustOne(t, doc, "page-next"), "href") != "/notes?page=3" {
		t.Error("next link")
	}
	if attr(mustOne(t, doc, "input-search"), "value") != "x" {
		t.Error("search value lost")
	}
	for _, f := range byTestID(doc, "note-create-form") {
		found := false
		for d := range f.Descendants() {
			if attr(d, "name") == "_csrf" && attr(d, "value") == "tok" {
				found = true
			}
		}
		if !found {
			t.Error("form without _csrf")
		}
	}
}

func TestNoteForms(t *testing.T) {
	inline := mustRender(t, views.NoteForm(views.NoteFormProps{ID: "a", Title: "t", Inline: true}), false)
	f := mustOne(t, inline, "note-edit-form")
	if attr(f, "id") != views.CardID("a") || attr(f, "hx-post") != "/notes/a" {
		t.Errorf("inline form id=%q hx-post=%q", attr(f, "id"), attr(f, "hx-post"))
	}
	page := mustRender(t, views.NoteEditPage(views.NoteFormProps{ID: "a", Title: "t"}), false)
	if attr(mustOne(t, page, "note-edit-form"), "hx-post") != "" {
		t.Error("page form should post without htmx")
	}
	note := mustRender(t, views.NotePage(views.NoteProps{ID: "a", Title: "t", HTML: "<p>hi</p>"}), false)
	if text(mustOne(t, note, "note-body")) != "hi" {
		t.Error("note body")
	}
}

func TestAuthPages(t *testing.T) {
	doc := mustRender(t, views.SignInPage(views.SignInProps{
		Email: "a@b.c", MagicLink: true, SMS: true,
		Providers: []views.Provider{{Name: "github", Label: "GitHub", URL: "/sign-in/provider/github"}},
		Errors:    views.Errors{"": "Incorrect email or password."},
	}), false)
	for _, id := range []string{"sign-in-form", "magic-link-form", "sms-form", "provider-github", "form-error"} {
		mustOne(t, doc, id)
	}
	if attr(mustOne(t, doc, "input-email"), "value") != "a@b.c" {
		t.Error("email not kept")
	}
	if attr(mustOne(t, doc, "input-password"), "value") != "" {
		t.Error("password echoed")
	}
	check := mustRender(t, views.CheckEmailPage(views.CheckEmailProps{Email: "a@b.c", DevInbox: true}), false)
	mustOne(t, check, "link-dev-inbox")
	check = mustRender(t, views.CheckEmailPage(views.CheckEmailProps{Email: "a@b.c"}), false)
	if len(byTestID(check, "link-dev-inbox")) != 0 {
		t.Error("dev inbox link without dev inbox")
	}
	mustOne(t, mustRender(t, views.SMSCodePage(views.SMSCodeProps{Phone: "+1555"}), false), "sms-verify-form")
	mustOne(t, mustRender(t, views.SignUpPage(views.SignUpProps{}), false), "sign-up-form")
}

func TestErrorAndInbox(t *testing.T) {
	doc := mustRender(t, views.ErrorPage(views.ErrorProps{Status: 503, Title: "Down", Message: "m"}), false)
	if attr(mustOne(t, doc, "error-page"), "data-status") != "503" {
		t.Error("status")
	}
	inbox := mustRender(t, views.DevInboxPage(views.DevInboxProps{Messages: []views.InboxMessage{{Kind: "sms", To: "+1", Body: "Your code is 123456", Links: []string{"http://x/verify"}}}}), false)
	mustOne(t, inbox, "inbox-message")
	if attr(mustOne(t, inbox, "inbox-link"), "href") != "http://x/verify" {
		t.Error("link")
	}
}

func TestPublicPages(t *testing.T) {
	doc := mustRender(t, views.PublicNotesPage(views.PublicNotesProps{
		Notes: []views.NoteCardProps{{ID: "a", Title: "Shared"}}, Total: 1, Page: 1, Pages: 2, NextURL: "/public?page=2",
	}), false)
	mustOne(t, doc, "public-note-card")
	if attr(mustOne(t, doc, "page-next"), "href") != "/public?page=2" {
		t.Error("next link")
	}
	for d := range doc.Descendants() {
		if attr(d, "data-testid") == "note-edit" || attr(d, "data-testid") == "note-delete" {
			t.Error("public list offers edit or delete")
		}
	}
	empty := mustRender(t, views.PublicNotesPage(views.PublicNotesProps{Page: 1, Pages: 1}), false)
	mustOne(t, empty, "empty-state")
	note := mustRender(t, views.PublicNotePage(views.NoteProps{ID: "a", Title: "t", HTML: "<p>hi</p>"}), false)
	if text(mustOne(t, note, "note-body")) != "hi" {
		t.Error("body")
	}
}

func TestTokenPage(t *testing.T) {
	doc := mustRender(t, views.TokenPage(views.TokenProps{
		Hasura:    []views.ClaimRow{{Name: "x-hasura-user-id", Value: `"u1"`, Meaning: "m"}},
		ExpiresIn: 42, ExpiresAt: "2026-01-01T00:00:00Z", Raw: "a.b.c",
	}), false)
	if text(mustOne(t, doc, "claim-x-hasura-user-id")) != `"u1"` {
		t.Error("claim value")
	}
	if text(mustOne(t, doc, "token-expires-in")) != "42" || text(mustOne(t, doc, "token-raw-value")) != "a.b.c" {
		t.Error("expiry or raw token")
	}
	mustOne(t, doc, "token-refresh")
}
