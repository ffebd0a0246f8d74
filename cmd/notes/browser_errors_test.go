package main

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserErrorPages shows the friendly error pages a person can meet:
// an unknown address (404), and in remote mode with the Nhost backend down,
// a sign-in that cannot reach it (503), both inside the app's layout.
func TestBrowserErrorPages(t *testing.T) {
	t.Parallel()
	t.Run("not-found", func(t *testing.T) {
		t.Parallel()
		inst := startInstance(t, nil)
		b := mustTab(t, inst.URL)
		b.expectStatus(404, inst.URL+"/no/such/page")
		b.do(
			b.open("/no/such/page"),
			chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="error-page"][@data-status="404"]`)),
			chromedp.WaitVisible(withText("error-title", "Page not found")),
			chromedp.Click(tid("brand")),
			chromedp.WaitVisible(tid("landing-page")),
			chromedp.Click(tid("landing-sign-in")),
			chromedp.WaitVisible(tid("sign-in-page")),
		)
	})
	t.Run("backend-down", func(t *testing.T) {
		t.Parallel()
		dead := closedURL(t)
		inst := startInstance(t, map[string]string{
			"NHOST_AUTH_URL":    dead + "/v1/auth",
			"NHOST_GRAPHQL_URL": dead + "/v1/graphql",
		})
		b := mustTab(t, inst.URL)
		b.expectStatus(503, inst.URL+"/sign-in")
		b.do(
			b.open("/sign-in"),
			typeInto(in("sign-in-form", "input-email"), "nobody@example.com"),
			typeInto(in("sign-in-form", "input-password"), testPassword),
			chromedp.Click(tid("sign-in-submit")),
			chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="error-page"][@data-status="503"]`)),
			chromedp.WaitVisible(withText("error-title", "Sign-in is unreachable")),
			chromedp.WaitVisible(tid("brand")),
		)
	})
}
