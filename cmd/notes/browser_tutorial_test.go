package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// stepDone waits until the tutorial shows step id as done.
func stepDone(id string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(`[data-testid="step-` + id + `"][data-done="true"]`))
}

// TestBrowserTutorialWalk walks the Nhost + Hasura tutorial from /tutorial
// on a fresh database: the admin creates a user, copies the id and inserts
// a note for it; the anonymous playground query fails with Hasura's
// message; the user signs in, verifies the email through the dev inbox,
// sees the note and decodes the token; every step shows done.
func TestBrowserTutorialWalk(t *testing.T) {
	t.Parallel()
	const secret = "tutorial-admin-secret"
	const email = "tut@example.com"
	inst := startInstance(t, map[string]string{"HASURA_GRAPHQL_ADMIN_SECRET": secret})
	b := mustTab(t, inst.URL)

	b.do(
		b.open("/"),
		chromedp.Click(tid("landing-tutorial")),
		chromedp.WaitVisible(tid("tutorial-page")),
		stepDone("table"),
		chromedp.WaitVisible(withText("tutorial-progress", "1 of 7 steps done.")),
		chromedp.Click(in("step-user", "step-link")),
		chromedp.WaitVisible(tid("admin-login-page")),
		typeInto(tid("input-secret"), secret),
		chromedp.Click(tid("admin-login-submit")),
		chromedp.WaitVisible(tid("admin-users-page")),
		typeInto(in("admin-user-create", "input-email"), email),
		typeInto(in("admin-user-create", "input-password"), testPassword),
		chromedp.Click(tid("admin-user-create-submit")),
		chromedp.WaitVisible(withText("admin-user-email", email)),
		chromedp.Click(tid("admin-user-copy")),
		waitJS(`document.querySelector('[data-testid="admin-user-copy"]').textContent !== 'Copy id'`),
	)
	id := strings.TrimSpace(mustRun(b, chromedp.Text(tid("admin-user-id"))))
	if len(id) != 36 {
		t.Fatalf("user id %q", id)
	}
	b.do(
		chromedp.Click(tid("admin-nav-notes")),
		chromedp.WaitVisible(tid("admin-notes-page")),
		typeInto(in("admin-note-insert", "input-user_id"), id),
		typeInto(in("admin-note-insert", "input-title"), "Hello from the console"),
		chromedp.Click(tid("admin-note-insert-submit")),
		chromedp.WaitVisible(tid("admin-note")),

		b.open("/tutorial"),
		stepDone("user"),
		stepDone("note"),
		chromedp.Click(in("step-anonymous", "step-link")),
		chromedp.WaitVisible(tid("playground-page")),
		chromedp.Click(tid("playground-run")),
		chromedp.WaitVisible(containingText("playground-response", "field 'notes' not found in type: 'query_root'")),

		b.open("/tutorial"),
		stepDone("anonymous"),
		chromedp.Click(in("step-signin", "step-link")),
		chromedp.WaitVisible(tid("sign-in-page")),
		typeInto(in("sign-in-form", "input-email"), email),
		typeInto(in("sign-in-form", "input-password"), testPassword),
		chromedp.Click(tid("sign-in-submit")),
		chromedp.WaitVisible(tid("check-email-page")),
	)
	b.followInboxLink(email)
	b.do(
		chromedp.WaitVisible(inCard("Hello from the console", "note-title")),
		b.open("/tutorial"),
		stepDone("signin"),
		stepDone("verify"),
		chromedp.Click(in("step-token", "step-link")),
		chromedp.WaitVisible(tid("token-page")),
		chromedp.WaitVisible(tid("claim-x-hasura-user-id")),

		b.open("/tutorial"),
		stepDone("token"),
		chromedp.WaitVisible(withText("tutorial-progress", "7 of 7 steps done.")),
	)
	if n := mustRun(b, chromedp.Evaluate[int](`document.querySelectorAll('[data-done="false"]').length`)); n != 0 {
		t.Fatalf("%d steps not done", n)
	}
}
