package main

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPlaygroundWithoutJavaScript runs the tutorial's query as
// anonymous with scripts off: the form posts and the page shows Hasura's
// refusal; the example links work as plain links.
func TestBrowserPlaygroundWithoutJavaScript(t *testing.T) {
	t.Parallel()
	inst := startInstance(t, nil)
	b := mustTab(t, inst.URL, withoutJavaScript)
	b.do(
		b.open("/playground?example=public"),
		chromedp.WaitVisible(tid("playground-hint")),
		chromedp.Click(tid("example-notes")),
		chromedp.WaitVisible(containingText("playground-hint", "not found in type: 'query_root'")),
		chromedp.Click(tid("playground-run")),
		chromedp.WaitVisible(containingText("playground-response", "field 'notes' not found in type: 'query_root'")),
		chromedp.WaitVisible(containingText("playground-request", "POST ")),
		chromedp.WaitVisible(withText("schema-query", "public_notes")),
	)
}
