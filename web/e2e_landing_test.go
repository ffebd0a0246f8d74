package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/notes-app/notes/backend"
	"github.com/notes-app/notes/web"
)

func TestLandingForSignedOutVisitors(t *testing.T) {
	t.Parallel()
	onEachDialect(t, func(t *testing.T, db func(*backend.Options)) {
		b, _ := mustStack(t, nil, nil, db)
		r := b.get("/")
		mustStatus(t, r, http.StatusOK)
		mustTestID(t, r, "landing-page", "landing-sign-in", "landing-public", "landing-tutorial", "landing-admin", "anon-role")
		for _, p := range []string{"/sign-in", "/public", "/tutorial", "/playground", "/admin"} {
			mustStatus(t, b.get(p), http.StatusOK)
		}
		mustStatus(t, b.post("/sign-up", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
		r = b.get("/")
		mustStatus(t, r, http.StatusSeeOther)
		mustHeader(t, r, "Location", "/notes")
	})
}

func TestLandingRemoteOffersNoAdmin(t *testing.T) {
	t.Parallel()
	remote, _ := mustStack(t, nil, func(o *web.Options) { o.Standalone = false })
	r := remote.get("/")
	mustTestID(t, r, "landing-page")
	mustNoTestID(t, r, "landing-admin")
}
