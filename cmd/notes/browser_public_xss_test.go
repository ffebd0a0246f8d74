package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPublicNoteXSSIsInert: a note made public with script payloads
// in its title and Markdown is what every signed-out visitor sees on
// /public and /public/:id, so stored XSS there would reach anyone. In a
// fresh browser context (signed out) nothing runs on the list, the note's
// page or a search that reflects a payload: no dialog, exception, CSP
// report or active element.
func TestBrowserPublicNoteXSSIsInert(t *testing.T) {
	t.Parallel()
	inst := startInstance(t, nil)
	b := mustTab(t, inst.URL)
	b.signUp("mallory@example.com")
	b.do(
		chromedp.SetValue(in("note-create-form", "input-title"), xssTitle),
		chromedp.SetValue(in("note-create-form", "input-content"), xssContent),
		chromedp.Click(in("note-create-form", "input-public")),
		chromedp.Click(in("note-create-form", "note-save")),
		waitCount(1),
	)
	wantTitle := strings.Join(strings.Fields(xssTitle), " ")

	v := mustTab(t, inst.URL)
	v.do(v.open("/public"), chromedp.WaitVisible(tid("public-note-card")))
	v.mustBeInert("the public list")
	if got := mustRun(v, chromedp.Text(in("public-note-card", "note-title"))); got != wantTitle {
		t.Errorf("the public card's title reads %q, want the markup as text %q", got, wantTitle)
	}
	v.do(
		chromedp.Click(in("public-note-card", "note-title")),
		chromedp.WaitVisible(tid("public-note-page")),
		chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="note-body"]//strong[normalize-space()="bold"]`)),
	)
	v.mustBeInert("the public note's page")
	v.do(v.open("/public?q="+url.QueryEscape(xssSearch)), chromedp.WaitVisible(tid("empty-state")))
	v.mustBeInert("the public list searching for markup")
}
