package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// maxTabs bounds the Tab presses between two controls a walk visits; the
// longest gap (a page's header to its last control) is far shorter.
const maxTabs = 60

// focusStop is what a keyboard user sees of the focused element.
type focusStop struct {
	Match   bool   `json:"match"`   // it is the control the walk looks for
	Body    bool   `json:"body"`    // nothing is focused (focus left the page)
	Wrapped bool   `json:"wrapped"` // it lies against the walk's direction from the last stop
	Ring    bool   `json:"ring"`    // an outline or a ring shadow shows it
	Visible bool   `json:"visible"` // it has a size on screen
	Desc    string `json:"desc"`    // tag and data-testid or text, for messages
}

// focusStopJS describes document.activeElement, given the selector of the
// control looked for and whether the walk goes backwards. It remembers the
// element in the page, so the next call tells when focus wrapped around
// the page instead of moving on. A ring is an outline, or a box-shadow
// layer with no offset or blur and a spread (how Tailwind's ring and the
// forms plugin draw focus); a plain drop shadow is not one.
const focusStopJS = `((sel, back) => {
	const e = document.activeElement;
	if (!e || e === document.body || e === document.documentElement) return {body: true, desc: "body"};
	const last = window.__keyboardWalkLast;
	window.__keyboardWalkLast = e;
	let wrapped = false;
	if (last && last !== e && last.isConnected) {
		const pos = last.compareDocumentPosition(e);
		wrapped = !!(pos & (back ? Node.DOCUMENT_POSITION_FOLLOWING : Node.DOCUMENT_POSITION_PRECEDING));
	}
	const s = getComputedStyle(e);
	const alpha = (c) => {
		const m = /rgba?\(([^)]*)\)/.exec(c);
		if (!m) return 1;
		const p = m[1].split(/[\s,\/]+/).filter(Boolean);
		return p.length > 3 ? parseFloat(p[3]) : 1;
	};
	const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && alpha(s.outlineColor) > 0;
	const ring = s.boxShadow !== "none" && s.boxShadow.split(/,(?![^(]*\))/).some((layer) => {
		const n = layer.replace(/rgba?\([^)]*\)/, "").replace("inset", "").trim().split(/\s+/).map(parseFloat);
		return alpha(layer) > 0 && n.length >= 4 && n[0] === 0 && n[1] === 0 && n[2] === 0 && n[3] > 0;
	});
	const r = e.getBoundingClientRect();
	const name = e.getAttribute("data-testid") || (e.textContent || "").trim().slice(0, 30);
	return {match: e.matches(sel), wrapped: wrapped, ring: outline || ring, visible: r.width >= 1 && r.height >= 1,
		desc: e.tagName.toLowerCase() + "[" + name + "]"};
})(%s, %t)`

// focusedStop describes the focused element against selector sel, for a
// walk forwards or (back) backwards.
func (b *tab) focusedStop(sel chromedp.CSS, back bool) focusStop {
	b.t.Helper()
	arg, _ := json.Marshal(string(sel))
	return mustRun(b, chromedp.Evaluate[focusStop](fmt.Sprintf(focusStopJS, arg, back)))
}

// tabTo presses Tab until the control sel has focus, and fails the test
// when it is not reached before focus leaves or wraps around the page, or
// after maxTabs presses: so successive calls prove the focus order. Every control focused on the way must show a visible focus
// ring. back presses Shift+Tab instead, walking the focus order backwards.
func (b *tab) tabTo(sel chromedp.CSS, back bool) {
	b.t.Helper()
	var opts []chromedp.KeyOption
	if back {
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
	}
	var seen []string
	for range maxTabs {
		b.do(chromedp.KeyEvent(kb.Tab, opts...))
		s := b.focusedStop(sel, back)
		seen = append(seen, s.Desc)
		if s.Body || s.Wrapped {
			break // past the page's last (or first) control
		}
		if !s.Ring || !s.Visible {
			b.t.Fatalf("focus on %s is not visible (ring %v, on screen %v); focus order: %s", s.Desc, s.Ring, s.Visible, strings.Join(seen, ", "))
		}
		if s.Match {
			return
		}
	}
	b.t.Fatalf("%s is not reached by keyboard before focus leaves or wraps around the page; focus order: %s", sel, strings.Join(seen, ", "))
}

// press sends one key to the focused element.
func press(key string) chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(key) }

// focusIn waits until the focus is inside the element sel, with a visible
// ring on the focused element.
func (b *tab) focusIn(sel chromedp.CSS) {
	b.t.Helper()
	arg, _ := json.Marshal(string(sel))
	b.do(waitJS(fmt.Sprintf(`!!document.activeElement && !!document.activeElement.closest(%s)`, arg)))
	if s := b.focusedStop(sel+", "+sel+" *", false); !s.Ring || !s.Visible {
		b.t.Fatalf("focus on %s is not visible (ring %v, on screen %v)", s.Desc, s.Ring, s.Visible)
	}
}

// TestBrowserKeyboardOnly walks the tutorial's console steps with the
// keyboard alone (Tab, Shift+Tab, Enter, Space, typed text, and the arrow
// keys a select answers to): unlock /admin, create a user, insert a note
// for them, run the playground's example as two identities and reach the
// response, and follow each tutorial step's link. Every control on the way
// is reached in focus order and shows a visible focus ring.
func TestBrowserKeyboardOnly(t *testing.T) {
	t.Parallel()
	const secret = "keyboard-admin-secret"
	const email = "keys@example.com"
	const title = "Typed by keyboard"
	inst := startInstance(t, map[string]string{"HASURA_GRAPHQL_ADMIN_SECRET": secret})
	b := mustTab(t, inst.URL)
	b.do(b.open("/"), chromedp.WaitVisible(tid("landing-page")))

	// Unlock the admin console and create a user.
	b.tabTo(tid("landing-admin"), false)
	b.do(press(kb.Enter), chromedp.WaitVisible(tid("admin-login-page")))
	b.tabTo(tid("input-secret"), false)
	b.do(press(secret))
	b.tabTo(tid("admin-login-submit"), false)
	b.do(press(kb.Enter), chromedp.WaitVisible(tid("admin-users-page")))
	b.tabTo(in("admin-user-create", "input-email"), false)
	b.do(press(email))
	b.tabTo(in("admin-user-create", "input-password"), false)
	b.do(press(testPassword))
	b.tabTo(tid("admin-user-create-submit"), false)
	b.do(press(" "), chromedp.WaitVisible(withText("admin-user-email", email)))
	id := strings.TrimSpace(mustRun(b, chromedp.Text(tid("admin-user-id"))))
	b.tabTo(tid("admin-user-copy"), false)
	b.do(
		press(kb.Enter),
		waitJS(`document.querySelector('[data-testid="admin-user-copy"]').textContent !== 'Copy id'`),
	)

	// The row's notes link opens the insert form with the user's id in it.
	b.tabTo(tid("admin-user-notes"), false)
	b.do(press(kb.Enter), chromedp.WaitVisible(tid("admin-notes-page")))
	b.tabTo(in("admin-note-insert", "input-title"), false)
	b.do(press(title))
	b.tabTo(in("admin-note-insert", "input-user_id"), true)
	if got := mustRun(b, chromedp.Value(in("admin-note-insert", "input-user_id"))); got != id {
		t.Fatalf("user id field = %q, want %q", got, id)
	}
	b.tabTo(in("admin-note-insert", "input-content"), false)
	b.do(press("Inserted for " + email))
	b.tabTo(tid("admin-note-insert-submit"), false)
	b.do(press(kb.Enter), chromedp.WaitVisible(containingText("admin-note", title)))

	// The playground: an example, an identity, Run, and the response.
	b.tabTo(tid("nav-playground"), false)
	b.do(press(kb.Enter), chromedp.WaitVisible(tid("playground-page")))
	b.tabTo(tid("example-notes"), false)
	b.do(press(kb.Enter), chromedp.WaitVisible(containingText("playground-hint", "not found in type: 'query_root'")))
	b.tabTo(tid("input-as"), false)
	if v := mustRun(b, chromedp.Value(tid("input-as"))); v != "anonymous" {
		t.Fatalf("identity = %q, want anonymous", v)
	}
	b.tabTo(tid("playground-run"), false)
	b.do(press(kb.Enter), chromedp.WaitVisible(containingText("playground-response", "field 'notes' not found in type: 'query_root'")))
	b.focusIn(tid("playground-result"))
	b.tabTo(tid("input-as"), true)
	b.do(
		press(kb.ArrowDown),
		waitJS(`document.querySelector('[data-testid="input-as"]').value === 'admin'`),
	)
	b.tabTo(tid("playground-run"), false)
	b.do(press(" "), chromedp.WaitVisible(containingText("playground-response", title)))
	b.focusIn(tid("playground-result"))

	// The tutorial: each step's link in order, each followed and back.
	b.tabTo(tid("nav-tutorial"), true)
	b.do(press(kb.Enter), chromedp.WaitVisible(tid("tutorial-page")))
	b.do(chromedp.WaitVisible(containingText("step-table", "only with a title that is not empty")))
	steps := []struct{ id, page string }{
		{"table", "admin-permissions-page"},
		{"user", "admin-users-page"},
		{"note", "admin-notes-page"},
		{"anonymous", "playground-page"},
		{"signin", "sign-in-page"},
		{"verify", "dev-inbox-page"},
		{"token", "sign-in-page"}, // signed out, /token asks to sign in
	}
	for _, s := range steps {
		b.tabTo(in("step-"+s.id, "step-link"), false)
	}
	b.tabTo(in("step-table", "step-link"), true)
	for i, s := range steps {
		if i > 0 {
			b.tabTo(in("step-"+s.id, "step-link"), false)
		}
		b.do(press(kb.Enter), chromedp.WaitVisible(tid(s.page)))
		b.tabTo(tid("nav-tutorial"), false)
		b.do(press(kb.Enter), chromedp.WaitVisible(tid("tutorial-page")))
	}
}
