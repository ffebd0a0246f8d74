package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/notes-app/notes/internal/testenv"
)

// stepTimeout bounds one browser step (a navigation, a wait for the DOM). It
// only matters when a test fails, so it is generous for a slow CI runner.
const stepTimeout = 30 * time.Second

// The one headless Chromium of this test binary, started by the first
// browser test and stopped by TestMain.
var (
	browserOnce sync.Once
	browserCtx  context.Context
	browserErr  error
	browserStop = func() {}
)

// TestMain stops the shared browser after the last test.
func TestMain(m *testing.M) {
	code := m.Run()
	browserStop()
	os.Exit(code)
}

// sharedBrowser starts Chromium once, with a fresh profile folder, and
// returns the context its tabs derive from.
func sharedBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := testenv.Chromium(t)
	browserOnce.Do(func() {
		dir, err := os.MkdirTemp("", "notes-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(exe),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.UserDataDir(dir),
			chromedp.WindowSize(1200, 900),
		)
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		browserStop = func() {
			bcancel()
			acancel()
			// Chromium's helpers can write in the profile for a moment after
			// the browser ends; a leftover temp folder is harmless.
			_ = os.RemoveAll(dir)
		}
		// The first Do starts the browser; without a timeout, so that no
		// step's deadline ends it.
		if err := chromedp.Do(bctx); err != nil {
			browserErr = fmt.Errorf("start chromium %s: %w", exe, err)
			return
		}
		browserCtx = bctx
	})
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	return browserCtx
}

// tab is one browser tab of a test, in a browser context of its own (its
// own cookies, like an incognito window), aimed at one running instance.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu       sync.Mutex
	problems []string
	expected []expectedLoad
}

// expectedLoad is a failed load that a test causes on purpose.
type expectedLoad struct {
	status int
	url    string
}

// tabOption changes how mustTab opens a tab.
type tabOption func(*tabConfig)

type tabConfig struct{ noScript bool }

// withoutJavaScript opens the tab with script execution disabled, as a
// browser with JavaScript turned off.
func withoutJavaScript(c *tabConfig) { c.noScript = true }

// mustTab opens a tab aimed at base. Any uncaught exception, console error
// (CSP violations included) or unexpected dialog fails the test; a failing
// test leaves a full-page screenshot in testdata/failures.
func mustTab(t *testing.T, base string, opts ...tabOption) *tab {
	t.Helper()
	var cfg tabConfig
	for _, o := range opts {
		o(&cfg)
	}
	b := &tab{t: t, base: base}
	ctx, cancel := chromedp.NewContext(sharedBrowser(t),
		chromedp.WithNewBrowserContext(),
		chromedp.WithListener(b.listen))
	b.ctx = ctx
	t.Cleanup(func() {
		b.mustNoProblems()
		if t.Failed() {
			b.screenshot()
		}
		cancel()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	go b.answerDialogs()
	if cfg.noScript {
		b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled,
				emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	return b
}

// confirmDelete is the one dialog the app opens: htmx's hx-confirm on a
// note's delete button. The tab accepts it; any other dialog is a problem.
const confirmDelete = "Delete this note?"

// listen records what fails a test. It runs in the tab's event loop, in the
// order the events arrive, so it must return fast and send no command.
func (b *tab) listen(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		problem = "uncaught exception: " + (&chromedp.ExceptionError{ExceptionDetails: ev.ExceptionDetails}).Error()
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				if a.Description != "" {
					args = append(args, a.Description)
				} else {
					args = append(args, string(a.Value))
				}
			}
			problem = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			problem = fmt.Sprintf("browser log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *page.EventJavascriptDialogOpening:
		if ev.Type != page.DialogTypeConfirm || ev.Message != confirmDelete {
			problem = fmt.Sprintf("unexpected %s dialog: %q", ev.Type, ev.Message)
		}
	}
	if problem == "" {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.expected {
		if strings.Contains(problem, fmt.Sprintf("status of %d ", e.status)) && strings.HasSuffix(problem, " "+e.url) {
			return
		}
	}
	b.problems = append(b.problems, problem)
}

// expectStatus lets the browser log the failed load of exactly url with
// status, which the test causes on purpose (an error page is an HTTP error).
func (b *tab) expectStatus(status int, url string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.expected = append(b.expected, expectedLoad{status, url})
}

// answerDialogs closes every JavaScript dialog so the page never hangs:
// the delete confirmation is accepted, anything else dismissed (listen has
// already recorded it as a problem).
func (b *tab) answerDialogs() {
	for ev, err := range chromedp.Events(b.ctx, page.JavascriptDialogOpening) {
		if err != nil {
			return
		}
		accept := ev.Type == page.DialogTypeConfirm && ev.Message == confirmDelete
		_, _ = chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
	}
}

// takeProblems returns and clears what listen recorded.
func (b *tab) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// mustNoProblems fails the test on anything listen recorded. It first does
// a round trip to the tab, so every event sent before it has been seen.
func (b *tab) mustNoProblems() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	_, _ = chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	for _, p := range b.takeProblems() {
		b.t.Errorf("in the browser: %s", p)
	}
}

// screenshot saves the whole page to testdata/failures/<test>.png.
func (b *tab) screenshot() {
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("no screenshot: %v", err)
		return
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "failures"))
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	name := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(b.t.Name())+".png")
	if err == nil {
		err = os.WriteFile(name, png, 0o644)
	}
	if err != nil {
		b.t.Logf("no screenshot: %v", err)
		return
	}
	b.t.Logf("screenshot of the failure: %s", name)
}

// do runs steps, together bounded by stepTimeout, and fails the test at
// the first error or at the first problem the page reported.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	err := chromedp.Do(ctx, steps...)
	if err != nil {
		b.t.Fatalf("browser at %s: %v", b.location(), err)
	}
	if p := b.takeProblems(); len(p) > 0 {
		b.t.Fatalf("in the browser at %s:\n%s", b.location(), strings.Join(p, "\n"))
	}
}

// location is the tab's URL for messages, or why it is unknown.
func (b *tab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return fmt.Sprintf("(location unknown: %v)", err)
	}
	return u
}

// mustRun runs one action that returns a value, like tab.do.
func mustRun[T any](b *tab, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser at %s: %v", b.location(), err)
	}
	if p := b.takeProblems(); len(p) > 0 {
		b.t.Fatalf("in the browser at %s:\n%s", b.location(), strings.Join(p, "\n"))
	}
	return v
}

// open navigates to a path of the instance.
func (b *tab) open(path string) chromedp.Action[chromedp.Void] {
	return chromedp.Navigate(b.base + path)
}

// tid selects elements by data-testid, the only hook tests use.
func tid(id string) chromedp.CSS {
	return chromedp.CSS(`[data-testid="` + id + `"]`)
}

// in selects the elements with data-testid child inside the element with
// data-testid parent.
func in(parent, child string) chromedp.CSS {
	return chromedp.CSS(`[data-testid="` + parent + `"] [data-testid="` + child + `"]`)
}

// xpathLiteral quotes s for XPath 1.0, which has no escape character.
func xpathLiteral(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	if !strings.Contains(s, `'`) {
		return `'` + s + `'`
	}
	parts := strings.Split(s, `"`)
	return `concat("` + strings.Join(parts, `", '"', "`) + `")`
}

// withText selects the elements with data-testid id whose whitespace-
// normalised text is text. It is a DOM search, so it works with scripts off.
func withText(id, text string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//*[@data-testid=%q][normalize-space()=%s]`, id, xpathLiteral(text)))
}

// containingText selects the elements with data-testid id whose text
// contains text.
func containingText(id, text string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//*[@data-testid=%q][contains(normalize-space(), %s)]`, id, xpathLiteral(text)))
}

// cardWithTitle selects the note card whose title is title.
func cardWithTitle(title string) string {
	return fmt.Sprintf(`//*[@data-testid="note-card"][.//*[@data-testid="note-title"][normalize-space()=%s]]`, xpathLiteral(title))
}

// inCard selects the element with data-testid id inside the card titled title.
func inCard(title, id string) chromedp.Search {
	return chromedp.Search(cardWithTitle(title) + fmt.Sprintf(`//*[@data-testid=%q]`, id))
}

// waitJS waits until a JavaScript predicate holds in the page (the
// DevTools evaluation runs even in a tab with scripts disabled).
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(stepTimeout))
}

// waitCount waits until the list's summary reads n notes.
func waitCount(n int) chromedp.Action[chromedp.Void] {
	text := fmt.Sprintf("%d notes", n)
	if n == 1 {
		text = "1 note"
	}
	return chromedp.WaitVisible(withText("note-count", text))
}

// typeInto replaces the value of a field by typing, so the page sees the
// same key events as from a person: focus, select all, delete, type.
// (chromedp.Clear fails on an empty textarea and SetValue cannot set "".)
func typeInto[S chromedp.Selectable](sel S, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(sel),
		chromedp.Focus(sel),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
				p := input.DispatchKeyEventParams{Type: typ, Key: "a", Code: "KeyA", Modifiers: int64(chromedp.ModifierCtrl)}
				if typ == input.DispatchKeyEventTypeRawKeyDown {
					p.Commands = []string{"selectAll"}
				}
				if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, p); err != nil {
					return fmt.Errorf("select all: %w", err)
				}
			}
			return nil
		}),
		chromedp.KeyEvent(kb.Delete),
		chromedp.SendKeys(sel, text),
	)
}
