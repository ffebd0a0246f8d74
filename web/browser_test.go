package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/notes-app/notes/internal/testenv"
)

// One browser per test binary, started on first use; a tab per test.
var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc = func() {}
)

func TestMain(m *testing.M) {
	code := m.Run()
	browserCancel()
	os.Exit(code)
}

// mustTab opens a tab in the shared headless Chromium. JavaScript
// exceptions, console errors and Content-Security-Policy violations fail
// the test, and a failing test leaves a screenshot in
// testdata/failures. With js false the page runs no script at all.
func mustTab(t *testing.T, js bool) context.Context {
	t.Helper()
	exe := testenv.Chromium(t)
	browserOnce.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(exe), chromedp.NoSandbox,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.WindowSize(1100, 900))
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		browserCtx = bctx
		browserCancel = func() { bcancel(); acancel() }
	})
	ctx, cancel := chromedp.NewContext(browserCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		if t.Failed() {
			if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
				dir := filepath.Join("testdata", "failures")
				_ = os.MkdirAll(dir, 0o755)
				name := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".png")
				if os.WriteFile(name, png, 0o644) == nil {
					t.Logf("screenshot: %s", name)
				}
			}
		}
		cancelTimeout()
		cancel()
	})
	if !js {
		if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		})); err != nil {
			t.Fatal(err)
		}
	}
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			t.Errorf("JavaScript exception: %s", ev.ExceptionDetails.Text)
		}
	}()
	consoleCalls := chromedp.Events(ctx, runtime.ConsoleAPICalled)
	go func() {
		for ev, err := range consoleCalls {
			if err != nil {
				return
			}
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				t.Errorf("console.error: %s", strings.Join(args, " "))
			}
		}
	}()
	entries := chromedp.Events(ctx, cdplog.EntryAdded)
	go func() {
		for ev, err := range entries {
			if err != nil {
				return
			}
			if strings.Contains(ev.Entry.Text, "Content Security Policy") {
				t.Errorf("CSP violation: %s", ev.Entry.Text)
			}
		}
	}()
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			go chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
				return err
			}))
		}
	}()
	return ctx
}

func mustDo(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func tid(id string) chromedp.CSS { return chromedp.CSS(`[data-testid="` + id + `"]`) }

// waitJS waits until a JavaScript predicate holds.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(10*time.Second))
}

// htmxIdle waits until htmx has no request in flight and has settled (and
// so processed) the content it swapped in.
func htmxIdle() chromedp.Action[chromedp.Void] {
	return waitJS(`window.htmx && !document.querySelector('.htmx-request, .htmx-added, .htmx-settling, .htmx-swapping')`)
}

func countIs(n string) chromedp.Action[chromedp.Void] {
	return waitJS(fmt.Sprintf(`(document.querySelector('[data-testid="note-count"]')||{}).textContent === %q`, n))
}

func TestBrowserNotes(t *testing.T) {
	ctx := mustTab(t, true)
	b, _ := mustApp(t, map[string]string{"AUTH_ACCESS_TOKEN_EXPIRES_IN": "30"}, nil)

	mustDo(t, ctx,
		chromedp.Navigate(b.base+"/sign-up"),
		chromedp.SendKeys(tid("input-email"), "ann@example.com"),
		chromedp.SendKeys(tid("input-password"), "correct-horse-battery"),
		chromedp.Click(tid("sign-up-submit")),
		chromedp.WaitVisible(tid("check-email-page")),
		chromedp.Click(tid("link-dev-inbox")),
		chromedp.Click(tid("inbox-link")),
		chromedp.WaitVisible(tid("notes-page")),
		chromedp.WaitVisible(tid("empty-state")),
	)
	for i, title := range []string{"Groceries", "Hasura permissions"} {
		mustDo(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#note-create-title"), title),
			chromedp.SendKeys(chromedp.CSS("#note-create-content"), "Some **markdown**"),
			chromedp.Click(chromedp.CSS(`#note-create [data-testid="note-save"]`)),
			countIs(fmt.Sprintf("%d note%s", i+1, map[bool]string{true: "s"}[i > 0])),
			waitJS(`(document.querySelector('#note-create-title')||{}).value === ''`),
			htmxIdle(),
		)
	}
	mustDo(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="note-card"]:first-of-type [data-testid="note-edit"]`)),
		chromedp.WaitVisible(tid("note-edit-form")),
		htmxIdle(),
		chromedp.SetValue(chromedp.CSS(`[data-testid="note-edit-form"] [data-testid="input-title"]`), "Roles and permissions"),
		chromedp.Click(chromedp.CSS(`[data-testid="note-edit-form"] [data-testid="note-save"]`)),
		chromedp.WaitNotPresent(tid("note-edit-form")),
		htmxIdle(),
		waitJS(`(document.querySelector('#note-list')||{textContent:''}).textContent.includes('Roles and permissions')`),
	)
	mustDo(t, ctx, // open an inline edit and cancel it
		chromedp.Click(chromedp.CSS(`[data-testid="note-card"]:first-of-type [data-testid="note-edit"]`)),
		chromedp.WaitVisible(tid("note-edit-form")),
		htmxIdle(),
		chromedp.Click(tid("note-cancel")),
		chromedp.WaitNotPresent(tid("note-edit-form")),
		htmxIdle(),
	)
	mustDo(t, ctx,
		chromedp.SendKeys(tid("input-search"), "roles"),
		countIs("1 note"),
		waitJS(`location.search.includes('q=roles')`),
		chromedp.Reload(),
		countIs("1 note"),
		chromedp.Navigate(b.base+"/notes"),
		countIs("2 notes"),
		htmxIdle(),
		chromedp.Click(chromedp.CSS(`[data-testid="note-card"]:first-of-type [data-testid="note-delete"]`)),
		countIs("1 note"),
		chromedp.WaitVisible(tid("toast")),
	)
	b.signInAs("ann@example.com", "correct-horse-battery") // a second session of the same user
	for i := range 20 {
		mustStatus(t, b.post("/notes", url.Values{"title": {fmt.Sprintf("Bulk %02d", i)}}), http.StatusSeeOther)
	}
	mustDo(t, ctx,
		chromedp.Reload(),
		countIs("21 notes"),
		htmxIdle(),
		chromedp.Click(tid("page-next")),
		waitJS(`(document.querySelector('[data-testid="page-label"]')||{}).textContent === 'Page 2 of 2'`),
		waitJS(`location.search.includes('page=2')`),
		htmxIdle(),
		chromedp.Click(tid("page-prev")),
		waitJS(`(document.querySelector('[data-testid="page-label"]')||{}).textContent === 'Page 1 of 2'`),
		htmxIdle(),
		chromedp.Click(tid("nav-token")),
		chromedp.WaitVisible(tid("token-page")),
		waitJS(`+document.querySelector('[data-testid="token-expires-in"]').textContent < +document.querySelector('[data-testid="token-expires-in"]').getAttribute('data-start')`),
		chromedp.Click(tid("sign-out")),
		chromedp.WaitVisible(tid("sign-in-page")),
		chromedp.Navigate(b.base+"/notes"),
		chromedp.WaitVisible(tid("sign-in-page")),
	)
}

func TestBrowserWithoutJavaScript(t *testing.T) {
	ctx := mustTab(t, false)
	b, _ := mustApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}, nil)
	mustDo(t, ctx,
		chromedp.Navigate(b.base+"/sign-up"),
		chromedp.SendKeys(tid("input-email"), "bo@example.com"),
		chromedp.SendKeys(tid("input-password"), "correct-horse-battery"),
		chromedp.Click(tid("sign-up-submit")),
		chromedp.WaitReady(tid("empty-state")),
		chromedp.SendKeys(chromedp.CSS("#note-create-title"), "Plain form"),
		chromedp.Click(chromedp.CSS(`#note-create [data-testid="note-save"]`)),
		chromedp.WaitReady(tid("note-card")),
		chromedp.Click(chromedp.CSS(`[data-testid="note-card"] [data-testid="note-title"]`)),
		chromedp.WaitReady(tid("note-page")),
		chromedp.Click(tid("note-edit")),
		chromedp.WaitReady(tid("note-edit-page")),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="note-edit-form"] [data-testid="input-title"]`), " edited"),
		chromedp.Click(chromedp.CSS(`[data-testid="note-edit-form"] [data-testid="note-save"]`)),
		chromedp.WaitReady(tid("note-page")),
	)
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="note-page"] [data-testid="note-title"]`)))
	if err != nil || !strings.Contains(title, "edited") {
		t.Fatalf("title = %q, %v", title, err)
	}
	mustDo(t, ctx,
		chromedp.Click(tid("note-delete")),
		chromedp.WaitReady(tid("empty-state")),
		chromedp.Click(tid("sign-out")),
		chromedp.WaitReady(tid("sign-in-page")),
	)
}
