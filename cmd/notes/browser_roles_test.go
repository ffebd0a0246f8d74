package main

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// inAdminUser selects the element with data-testid id in the admin users
// page's row of email.
func inAdminUser(email, id string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//*[@data-testid="admin-user"][@data-email=%s]//*[@data-testid=%q]`, xpathLiteral(email), id))
}

// TestBrowserModeratorActsAs: the admin grants the moderator role, the
// user's next token carries it, the header offers it, and acting as
// moderator the user reads another user's note.
func TestBrowserModeratorActsAs(t *testing.T) {
	t.Parallel()
	const secret = "roles-admin-secret"
	inst := startInstance(t, map[string]string{"HASURA_GRAPHQL_ADMIN_SECRET": secret})
	b := mustTab(t, inst.URL)
	b.signUp("ann@example.com")
	b.createNote("Ann's note", "only hers", 1)
	b.signOut()
	b.signUp("mo@example.com")
	b.do(
		waitCount(0),
		chromedp.WaitVisible(withText("user-role", "user")),
		b.open("/admin"),
		typeInto(tid("input-secret"), secret),
		chromedp.Click(tid("admin-login-submit")),
		chromedp.WaitVisible(tid("admin-users-page")),
		// By keyboard: space ticks the box, Enter submits its form.
		chromedp.Focus(inAdminUser("mo@example.com", "admin-role-moderator")),
		chromedp.KeyEvent(" "),
		waitJS(`!!document.querySelector('[data-email="mo@example.com"] [data-testid="admin-role-moderator"]:checked')`),
		chromedp.Focus(inAdminUser("mo@example.com", "admin-roles-submit")),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(containingText("toast", "Roles saved")),
		waitJS(`!!document.querySelector('[data-email="mo@example.com"] [data-testid="admin-role-moderator"]:checked')`),

		b.open("/token"),
		chromedp.Click(tid("token-refresh")),
		chromedp.WaitVisible(containingText("claim-x-hasura-allowed-roles", "moderator")),
		chromedp.SetValue(tid("role-select"), "moderator"),
		chromedp.Click(tid("role-submit")),
		chromedp.WaitVisible(withText("user-role", "moderator")),
		b.open("/notes"),
		waitCount(1),
		chromedp.WaitVisible(inCard("Ann's note", "note-title")),
		chromedp.WaitVisible(tid("read-only-banner")),
		chromedp.WaitVisible(withText("user-role", "moderator")),

		chromedp.SetValue(tid("role-select"), "user"),
		chromedp.Click(tid("role-submit")),
		chromedp.WaitVisible(withText("user-role", "user")),
		waitCount(0),
	)
}
