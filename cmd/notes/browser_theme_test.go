package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The page background in each theme: Tailwind's slate-50 and slate-900.
const (
	lightBackground = "rgb(248, 250, 252)"
	darkBackground  = "rgb(15, 23, 42)"
)

// prefersColorScheme emulates the system's light or dark preference.
func prefersColorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

// themeIs waits until the page shows background and the toggle reports
// pressed (true in dark mode).
func themeIs(background string, pressed bool) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		waitJS(fmt.Sprintf(`getComputedStyle(document.body).backgroundColor === %q`, background)),
		chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//*[@data-testid="theme-toggle"][@aria-pressed="%t"]`, pressed))),
	)
}

// TestBrowserThemeFollowsSystemAndToggle checks dark mode: it follows the
// system preference until the toggle picks a theme, and the pick survives
// a reload.
func TestBrowserThemeFollowsSystemAndToggle(t *testing.T) {
	t.Parallel()
	inst := startInstance(t, nil)

	b := mustTab(t, inst.URL)
	b.do(
		prefersColorScheme("light"),
		b.open("/sign-in"),
		themeIs(lightBackground, false),
		chromedp.Click(tid("theme-toggle")),
		themeIs(darkBackground, true),
		chromedp.Reload(),
		themeIs(darkBackground, true),
		chromedp.Click(tid("theme-toggle")),
		themeIs(lightBackground, false),
		// The pick beats the system preference.
		prefersColorScheme("dark"),
		chromedp.Reload(),
		themeIs(lightBackground, false),
	)

	fresh := mustTab(t, inst.URL)
	fresh.do(
		prefersColorScheme("dark"),
		fresh.open("/sign-in"),
		themeIs(darkBackground, true),
		chromedp.Click(tid("theme-toggle")),
		themeIs(lightBackground, false),
	)
}
