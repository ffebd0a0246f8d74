package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/notes-app/notes/backend"
)

// insertCheckSentence is how the permissions step tells the user role's
// insert check (nhost/metadata: title _neq "").
const insertCheckSentence = "The user role may insert a note only with a title that is not empty."

var stepState = regexp.MustCompile(`data-testid="step-([a-z]+)" data-done="(true|false)"`)

// mustSteps returns the tutorial's steps and whether each is done.
func mustSteps(t *testing.T, b *browser) map[string]bool {
	t.Helper()
	r := b.get("/tutorial")
	mustStatus(t, r, http.StatusOK)
	got := map[string]bool{}
	for _, m := range stepState.FindAllStringSubmatch(r.body, -1) {
		got[m[1]] = m[2] == "true"
	}
	if len(got) != 7 {
		t.Fatalf("steps = %v", got)
	}
	return got
}

func mustDone(t *testing.T, b *browser, want ...string) {
	t.Helper()
	got := mustSteps(t, b)
	for id, done := range got {
		if done != isIn(want, id) {
			t.Fatalf("step %s done = %v; want done: %v (all: %v)", id, done, want, got)
		}
	}
}

func isIn(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestTutorialWalk(t *testing.T) {
	t.Parallel()
	onEachDialect(t, func(t *testing.T, db func(*backend.Options)) {
		b, _ := mustStack(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "true"}, nil, db)
		mustDone(t, b, "table")
		page := b.get("/tutorial").body
		step := page[strings.Index(page, `data-testid="step-table"`):strings.Index(page, `data-testid="step-user"`)]
		if !strings.Contains(step, insertCheckSentence) {
			t.Fatalf("the permissions step does not say the insert check wants a title:\n%s", step)
		}

		mustStatus(t, b.post("/admin", url.Values{"secret": {stackSecret}}), http.StatusSeeOther)
		mustStatus(t, b.post("/admin/users", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
		ann := mustAdminUser(t, b.get("/admin/users"), "ann@example.com")
		mustDone(t, b, "table", "user")
		mustStatus(t, b.post("/admin/notes", url.Values{"user_id": {ann}, "title": {"Hello from the console"}}), http.StatusSeeOther)
		mustDone(t, b, "table", "user", "note")

		r := b.post("/playground", url.Values{"query": {tutorialQuery}, "as": {"anonymous"}})
		mustStatus(t, r, http.StatusOK)
		mustDone(t, b, "table", "user", "note", "anonymous")

		r = b.post("/sign-in", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}})
		mustTestID(t, r, "check-email-page")
		path := b.followEmailLink()
		mustStatus(t, b.get(path), http.StatusSeeOther)
		r = b.get("/notes")
		if !strings.Contains(r.body, "Hello from the console") {
			t.Fatal("ann does not see the note the admin inserted")
		}
		mustDone(t, b, "table", "user", "note", "anonymous", "signin", "verify")
		mustStatus(t, b.get("/token"), http.StatusOK)
		mustDone(t, b, "table", "user", "note", "anonymous", "signin", "verify", "token")
		if !strings.Contains(b.get("/tutorial").body, "7 of 7 steps done.") {
			t.Fatal("progress not complete")
		}
	})
}
