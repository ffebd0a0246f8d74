//go:build soak

package soak

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/loadgen"
)

// TestRemoteBackendUnreachable runs the app in remote mode against a
// second binary serving only the backend (as against a real Nhost
// project), kills the backend with SIGKILL and checks that every page the
// signed-in user opens is the app's friendly 503 page, that sign-in is a
// friendly 503 too, and that the app's /healthz still answers; then starts
// the backend again on the same port and data folder, and the same session
// cookie works again without signing in, although every request of the
// outage failed to refresh its access token.
func TestRemoteBackendUnreachable(t *testing.T) {
	appAddr := freeAddr(t)
	beEnv := baseEnv(t, "")
	beEnv["AUTH_CLIENT_URL"] = "http://" + appAddr
	// An access token of 60 s is always within the app's refresh margin
	// (auth.RefreshMargin), so every request refreshes it: the outage hits
	// the refresh too, and the session must survive that.
	beEnv["AUTH_ACCESS_TOKEN_EXPIRES_IN"] = "60"
	be := mustStart(t, beEnv, "backend")
	appEnv := baseEnv(t, "")
	appEnv["NOTES_ADDR"] = appAddr
	appEnv["NHOST_AUTH_URL"] = be.URL + "/v1/auth"
	appEnv["NHOST_GRAPHQL_URL"] = be.URL + "/v1/graphql"
	app := mustStart(t, appEnv)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := loadgen.Config{Targets: []string{app.URL}, Users: 1, Timeout: 30 * time.Second}
	users, err := loadgen.Prepare(ctx, cfg, loadgen.UsersFor("remote", 1))
	if err != nil {
		t.Fatal(err)
	}
	u := users[0]
	if _, err := u.CreateNote(ctx, app.URL, "remote kept", "Written before the backend went away."); err != nil {
		t.Fatal(err)
	}
	_, cards, err := u.ListNotes(ctx, app.URL)
	if err != nil || len(cards) != 1 {
		t.Fatalf("list before the fault: %v cards, %v", len(cards), err)
	}
	id := cards[0].ID

	be.Kill(t)
	for _, path := range []string{"/notes", "/notes/" + id, "/notes/" + id + "/edit"} {
		r, err := u.Get(ctx, app.URL, path)
		mustFriendlyError(t, "GET "+path, r, err, http.StatusServiceUnavailable)
	}
	r, err := u.CreateNote(ctx, app.URL, "remote lost", "Sent while the backend is down.")
	mustFriendlyError(t, "POST /notes", r, err, http.StatusServiceUnavailable)
	r, err = u.Post(ctx, app.URL, "/notes/"+id+"/delete", nil)
	mustFriendlyError(t, "POST /notes/:id/delete", r, err, http.StatusServiceUnavailable)
	mustSignInUnavailable(ctx, t, app.URL, loadgen.UsersFor("remote", 1)[0])
	mustAppHealthy(t, app.URL)

	be = be.mustRestart(t)
	back := time.Now()
	d := mustRecover(ctx, t, app.URL, u, back)
	t.Logf("the same session listed its notes %v after the backend was healthy again", d.Round(time.Millisecond))
	_, cards, err = u.ListNotes(ctx, app.URL)
	if err != nil || len(cards) != 1 || cards[0].Title != "remote kept" {
		t.Errorf("after the backend returned: %v, %v; want the one note written before", cards, err)
	}
	if _, err := u.CreateNote(ctx, app.URL, "remote after", "Written after the backend came back."); err != nil {
		t.Errorf("create after the backend returned: %v", err)
	}
	mustNoPanic(t, app)
}

// mustSignInUnavailable signs in as a new visitor while the backend (or
// its database) is down: the sign-in form answers with the friendly 503
// page.
func mustSignInUnavailable(ctx context.Context, t testing.TB, base string, creds loadgen.Credentials) {
	t.Helper()
	v := newVisitor(base, http.DefaultTransport, 30*time.Second)
	if _, err := v.get(ctx, "/sign-in"); err != nil {
		t.Fatalf("GET /sign-in: %v", err)
	}
	r, err := v.post(ctx, "/sign-in", url.Values{"email": {creds.Email}, "password": {creds.Password}})
	mustFriendlyError(t, "POST /sign-in", r, err, http.StatusServiceUnavailable)
}

// freeAddr returns a loopback host:port nothing listens on yet, for an
// app whose URL must be known before it starts.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
