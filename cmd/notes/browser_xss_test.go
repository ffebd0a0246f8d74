package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// xssTitle is a note title made of markup; it must show as text.
const xssTitle = `<script>alert("title-script")</script><img src=x onerror="alert('title-img')"> <a href="javascript:alert('title-link')">t</a>`

// xssContent is Markdown with every common way to run script in a page.
const xssContent = "<script>alert('content-script'); window.__xss = 'content-script'</script>\n\n" +
	"<img src=\"data:,\" onerror=\"alert('content-img'); window.__xss = 'content-img'\">\n\n" +
	"<svg onload=\"alert('content-svg')\"><circle r=\"4\"></circle></svg>\n\n" +
	"<iframe src=\"javascript:alert('content-iframe')\"></iframe>\n\n" +
	"<object data=\"javascript:alert('content-object')\"></object>\n\n" +
	"[markdown link](javascript:alert('md-link'))\n\n" +
	"[encoded link](jav&#x09;ascript:alert('md-encoded'))\n\n" +
	"<a href=\"jAvAsCrIpT:alert('html-link')\">html link</a>\n\n" +
	"<div onclick=\"alert('div-click')\" style=\"position:fixed;inset:0\">cover</div>\n\n" +
	"<form action=\"javascript:alert('form')\"><button formaction=\"javascript:alert('button')\">go</button></form>\n\n" +
	"<math><mtext><table><mglyph><style><img src=\"data:,\" onerror=\"alert('mxss')\">\n\n" +
	"![image](javascript:alert('md-image'))\n\n" +
	"Plain **bold** text stays."

// xssSearch is a search query that the list reflects back into the page.
const xssSearch = `<img src="data:," onerror="alert('search')">`

// activeContent lists, as text, everything in the document that could run
// script: inline scripts or scripts from elsewhere than the app's own
// static files, event-handler attributes, javascript: URLs, embedded
// frames, objects and SVG, and the marker the payloads set.
const activeContent = `(() => {
	const found = [];
	for (const s of document.scripts) {
		const src = s.getAttribute('src') || '';
		if (!src.startsWith('/static/')) found.push('script ' + (src || 'inline: ' + s.textContent.slice(0, 40)));
	}
	for (const el of document.querySelectorAll('*')) {
		for (const a of el.attributes) {
			const v = a.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
			if (a.name.startsWith('on')) found.push(el.tagName + ' ' + a.name);
			if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(a.name) && v.startsWith('javascript:')) {
				found.push(el.tagName + ' ' + a.name + '=' + a.value);
			}
		}
	}
	const body = '[data-testid="note-body"] ';
	for (const el of document.querySelectorAll('iframe, object, embed, ' + ['svg', 'math', 'style', 'form'].map(t => body + t).join(', '))) {
		found.push('element ' + el.tagName);
	}
	if (window.__xss !== undefined) found.push('payload ran: ' + window.__xss);
	return found;
})()`

// mustBeInert fails the test when the page holds anything from
// activeContent. Dialogs, exceptions and CSP reports fail it anyway.
func (b *tab) mustBeInert(where string) {
	b.t.Helper()
	if found := mustRun(b, chromedp.Evaluate[[]string](activeContent)); len(found) > 0 {
		b.t.Errorf("%s holds active content:\n%s", where, strings.Join(found, "\n"))
	}
}

// TestBrowserStoredXSSIsInert stores a note whose title and Markdown carry
// script payloads and shows it everywhere the app shows notes: the list
// (swapped in by HTMX and loaded fresh), the inline edit form, the note's
// page, the edit page, and a search that reflects a payload. Nothing runs:
// no dialog, no exception, no CSP report, no active element.
func TestBrowserStoredXSSIsInert(t *testing.T) {
	t.Parallel()
	inst := startInstance(t, nil)
	b := mustTab(t, inst.URL)
	b.signUp("mallory@example.com")

	// Typing a 700-character payload key by key is slow; the create form's
	// fields take the text at once (SetValue fires input and change), and
	// the click submits it through HTMX like any other note.
	b.do(
		chromedp.SetValue(in("note-create-form", "input-title"), xssTitle),
		chromedp.SetValue(in("note-create-form", "input-content"), xssContent),
		chromedp.Click(in("note-create-form", "note-save")),
		waitCount(1),
	)
	wantTitle := strings.Join(strings.Fields(xssTitle), " ")
	b.do(chromedp.WaitVisible(chromedp.Search(cardWithTitle(wantTitle))))
	b.mustBeInert("the list after the HTMX create")

	b.do(chromedp.Reload(), waitCount(1))
	b.mustBeInert("the list")
	if got := mustRun(b, chromedp.Text(in("note-card", "note-title"))); got != wantTitle {
		t.Errorf("the card's title reads %q, want the markup as text %q", got, wantTitle)
	}

	b.do(
		chromedp.Click(in("note-card", "note-edit")),
		chromedp.WaitVisible(tid("note-edit-form")),
	)
	if got := mustRun(b, chromedp.Value(in("note-edit-form", "input-title"))); got != xssTitle {
		t.Errorf("the inline edit form's title is %q, want %q", got, xssTitle)
	}
	if got := mustRun(b, chromedp.Value(in("note-edit-form", "input-content"))); got != xssContent {
		t.Errorf("the inline edit form's content is %q, want %q", got, xssContent)
	}
	b.mustBeInert("the inline edit form")

	b.do(
		b.open("/notes"),
		chromedp.Click(in("note-card", "note-title")),
		chromedp.WaitVisible(tid("note-page")),
		chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="note-body"]//strong[normalize-space()="bold"]`)),
	)
	if got := mustRun(b, chromedp.Text(in("note-page", "note-title"))); got != wantTitle {
		t.Errorf("the note page's title reads %q, want %q", got, wantTitle)
	}
	b.mustBeInert("the note's page")

	b.do(
		chromedp.Click(in("note-page", "note-edit")),
		chromedp.WaitVisible(tid("note-edit-page")),
	)
	b.mustBeInert("the edit page")

	b.do(
		b.open("/notes"),
		chromedp.SetValue(tid("input-search"), xssSearch),
		chromedp.WaitVisible(tid("empty-state")),
		waitJS(`location.search.includes("q=")`),
	)
	b.mustBeInert("the list searching for markup")
	b.do(chromedp.Reload(), chromedp.WaitVisible(containingText("empty-state", xssSearch)))
	b.mustBeInert("the list loaded with markup in the query")
}
