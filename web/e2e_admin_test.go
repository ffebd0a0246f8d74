package web_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/notes-app/notes/backend"
	"github.com/notes-app/notes/web"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var adminUserID = regexp.MustCompile(`data-testid="admin-user" data-user-id="([0-9a-f-]{36})" data-email="([^"]+)"`)

// mustAdminUser returns the id of the user row with email on a users page.
func mustAdminUser(t *testing.T, r response, email string) string {
	t.Helper()
	for _, m := range adminUserID.FindAllStringSubmatch(r.body, -1) {
		if m[2] == email {
			return m[1]
		}
	}
	t.Fatalf("no user %s on:\n%.3000s", email, r.body)
	return ""
}

func TestAdminAbsentInRemoteMode(t *testing.T) {
	t.Parallel()
	b, _ := mustStack(t, nil, func(o *web.Options) { o.Standalone = false })
	for _, p := range []string{"/admin", "/admin/users", "/admin/notes", "/admin/permissions"} {
		mustStatus(t, b.get(p), http.StatusNotFound)
	}
	mustStatus(t, b.post("/admin", url.Values{"secret": {stackSecret}}), http.StatusNotFound)
}

func TestAdminSecretRefusedAndRateLimited(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Now()}
	b, _ := mustStack(t, nil, func(o *web.Options) { o.Now = clock.Now })
	for _, p := range []string{"/admin/users", "/admin/notes", "/admin/permissions"} {
		r := b.get(p)
		mustStatus(t, r, http.StatusSeeOther)
		mustHeader(t, r, "Location", "/admin")
	}
	mustStatus(t, b.post("/admin/users", url.Values{"email": {"x@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
	mustTestID(t, b.get("/admin"), "admin-login-page", "input-secret")

	for i, s := range []string{"wrong", "", stackSecret + "x", "admin-secre", "ADMIN-SECRET"} {
		r := b.post("/admin", url.Values{"secret": {s}})
		mustStatus(t, r, http.StatusUnauthorized)
		mustTestID(t, r, "error-secret")
		if i == 0 {
			mustStatus(t, b.get("/admin/users"), http.StatusSeeOther)
		}
	}
	r := b.post("/admin", url.Values{"secret": {stackSecret}})
	mustStatus(t, r, http.StatusTooManyRequests)
	mustTestID(t, r, "error-secret")
	// A forged X-Forwarded-For is not a new client.
	r = b.do("POST", "/admin", url.Values{"secret": {stackSecret}, "_csrf": {b.csrf}}, map[string]string{"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9"})
	mustStatus(t, r, http.StatusTooManyRequests)
	clock.Add(11 * time.Second)
	r = b.post("/admin", url.Values{"secret": {stackSecret}})
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/admin/users")
	mustTestID(t, b.get("/admin/users"), "admin-users-page")

	// Another client IP would have its own budget; the secret, once in the
	// session, needs no more attempts.
	mustStatus(t, b.get("/admin/permissions"), http.StatusOK)
	mustStatus(t, b.post("/admin/logout", nil), http.StatusSeeOther)
	mustStatus(t, b.get("/admin/users"), http.StatusSeeOther)
}

func TestAdminConsole(t *testing.T) {
	t.Parallel()
	onEachDialect(t, func(t *testing.T, db func(*backend.Options)) {
		b, st := mustStack(t, nil, nil, db)
		mustStatus(t, b.post("/admin", url.Values{"secret": {stackSecret}}), http.StatusSeeOther)
		r := b.get("/admin/users")
		mustTestID(t, r, "admin-users-page", "empty-state", "admin-user-create")

		r = b.post("/admin/users", url.Values{"email": {"not-an-email"}, "password": {"short"}})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustTestID(t, r, "error-email", "error-password")
		r = b.post("/admin/users", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}})
		mustStatus(t, r, http.StatusSeeOther)
		mustHeader(t, r, "Location", "/admin/users?q=ann%40example.com")
		mustStatus(t, b.post("/admin/users", url.Values{"email": {"bob@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
		r = b.post("/admin/users", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustTestID(t, r, "error-email")

		r = b.get("/admin/users?q=ANN")
		ann := mustAdminUser(t, r, "ann@example.com")
		if strings.Contains(r.body, "bob@example.com") {
			t.Fatal("search shows bob")
		}
		mustTestID(t, r, "admin-user-id", "admin-user-copy")
		if ann != st.userID("ann@example.com") {
			t.Fatal("the page shows another id")
		}

		mustStatus(t, b.post("/admin/users/"+ann+"/verify", url.Values{"q": {"ann"}}), http.StatusSeeOther)
		mustTestID(t, b.get("/admin/users?q=ann"), "admin-user-verified")
		mustStatus(t, b.post("/admin/users/"+ann+"/roles", url.Values{"default_role": {"user"}, "roles": {"user", "me", "moderator"}}), http.StatusSeeOther)
		mustStatus(t, b.post("/admin/users/"+ann+"/roles", url.Values{"default_role": {"user"}, "roles": {"admin"}}), http.StatusBadRequest)
		d := st.admin(`query($id: uuid!) { user(id: $id) { defaultRole roles(order_by: {role: asc}) { role } } }`, map[string]any{"id": ann})
		if got := d["user"].(map[string]any)["roles"].([]any); len(got) != 3 || got[1].(map[string]any)["role"] != "moderator" {
			t.Fatalf("roles = %v", got)
		}
		if !strings.Contains(b.get("/admin/users?q=ann").body, `value="moderator" checked`) {
			t.Error("moderator box not checked")
		}

		// The tutorial's step: a note for the copied id.
		r = b.post("/admin/notes", url.Values{"user_id": {"nope"}, "title": {"Hi"}})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustTestID(t, r, "error-user_id")
		r = b.post("/admin/notes", url.Values{"user_id": {"00000000-0000-4000-8000-000000000000"}, "title": {"Hi"}})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustTestID(t, r, "error-user_id")
		r = b.post("/admin/notes", url.Values{"user_id": {ann}, "title": {"Welcome, Ann"}, "content": {"From the admin."}})
		mustStatus(t, r, http.StatusSeeOther)
		r = b.get("/admin/notes?user=" + ann)
		mustTestID(t, r, "admin-notes-page", "admin-note")
		if !strings.Contains(r.body, "Welcome, Ann") {
			t.Fatal("inserted note not listed")
		}
		annTok := st.signIn("ann@example.com", "correct-horse-battery")
		out := st.gql(map[string]string{"Authorization": "Bearer " + annTok}, `query { notes { title user_id } }`, nil)
		if rows := out["data"].(map[string]any)["notes"].([]any); len(rows) != 1 {
			t.Fatalf("ann sees %v", out)
		}

		r = b.get("/admin/permissions")
		mustStatus(t, r, http.StatusOK)
		mustTestID(t, r, "admin-permissions-page", "perm-table", "perm-filter", "perm-set")
		for _, want := range []string{`data-table="public.notes"`, `data-table="public.public_notes"`, `data-role="moderator"`, `data-role="public"`, "X-Hasura-User-Id"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("permissions page lacks %s", want)
			}
		}

		mustStatus(t, b.post("/admin/users/"+ann+"/disable", url.Values{"disabled": {"true"}}), http.StatusSeeOther)
		mustTestID(t, b.get("/admin/users?q=ann"), "admin-user-disabled")
		r = b.post("/admin/users/"+ann+"/delete", url.Values{"email": {"ann@example.com"}, "q": {"ann"}})
		mustStatus(t, r, http.StatusOK)
		mustTestID(t, r, "admin-confirm-delete-page", "admin-confirm-delete", "admin-cancel-delete")
		if !strings.Contains(r.body, "ann@example.com") || !strings.Contains(r.body, `href="/admin/users?q=ann"`) {
			t.Fatalf("the question does not name the user or lead back:\n%.2000s", r.body)
		}
		if !strings.Contains(b.get("/admin/users").body, "ann@example.com") {
			t.Fatal("the user was deleted before the confirmation")
		}
		mustStatus(t, b.post("/admin/users/"+ann+"/delete", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
		if strings.Contains(b.get("/admin/users").body, "ann@example.com") {
			t.Fatal("deleted user still listed")
		}
		mustTestID(t, b.get("/admin/notes"), "empty-state")
		mustStatus(t, b.post("/admin/users/"+ann+"/delete", url.Values{"confirm": {"yes"}}), http.StatusNotFound)
	})
}

func TestAdminLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	b, _ := mustStack(t, nil, func(o *web.Options) { o.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	b.post("/admin", url.Values{"secret": {"wrong-secret-xyz"}})
	b.post("/admin", url.Values{"secret": {stackSecret}})
	b.get("/admin/users")
	b.get("/admin/permissions")
	b.post("/admin/users", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}})
	b.post("/admin/notes", url.Values{"user_id": {"00000000-0000-4000-8000-000000000000"}, "title": {"t"}, "content": {"very-private-body"}})
	b.post("/playground", url.Values{"query": {tutorialQuery}, "as": {"admin"}, "secret": {stackSecret}})
	b.post("/playground", url.Values{"query": {tutorialQuery}, "as": {"admin"}, "secret": {"wrong-secret-abc"}})
	out := logs.String()
	if !strings.Contains(out, "route=/admin") {
		t.Fatalf("no request lines logged:\n%s", out)
	}
	for _, s := range []string{"wrong-secret-xyz", "wrong-secret-abc", "=" + stackSecret, " " + stackSecret, "correct-horse-battery", "very-private-body"} {
		if strings.Contains(out, s) {
			t.Errorf("log holds %q:\n%s", s, out)
		}
	}
}

// TestAdminUnlockExpires: the admin console stays unlocked while it is in
// use and locks itself an hour after its last use, long before the 30-day
// session cookie would expire.
func TestAdminUnlockExpires(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Now()}
	b, _ := mustStack(t, nil, func(o *web.Options) { o.Now = clock.Now })
	mustStatus(t, b.post("/admin", url.Values{"secret": {stackSecret}}), http.StatusSeeOther)

	clock.Add(50 * time.Minute)
	mustTestID(t, b.get("/admin/users"), "admin-users-page") // use renews the unlock
	clock.Add(50 * time.Minute)
	mustTestID(t, b.get("/admin/users"), "admin-users-page")

	clock.Add(61 * time.Minute)
	r := b.get("/admin/users")
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/admin")
	r = b.get("/admin")
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "admin-login-page")
}
