//go:build soak

package soak

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/loadgen"
	"github.com/notes-app/notes/internal/testenv"
)

// TestScaleOut runs two instances of the binary on one Postgres database,
// sharing the session keys, the JWT secret and the admin secret, as a
// deployment behind a load balancer would, and checks that it does not
// matter which one serves a request.
func TestScaleOut(t *testing.T) {
	t.Run("session", func(t *testing.T) {
		a, b, _ := mustPair(t, nil)
		ctx := context.Background()
		u := mustUser(t, a.URL, "scale-session")
		mustListed(t, u, b.URL) // signed in through a, served by b
		title := "written through b"
		if _, err := u.CreateNote(ctx, b.URL, title, "content"); err != nil {
			t.Fatal(err)
		}
		if !mustListed(t, u, a.URL)[title] {
			t.Fatalf("a note created through b is not listed by a")
		}
	})

	t.Run("refresh", func(t *testing.T) {
		// An access token of 2 s is always within the app's refresh margin,
		// so every request refreshes it: the refresh token rotates on a and b
		// in turn, and the session lives on past the first token's expiry.
		a, b, _ := mustPair(t, map[string]string{"AUTH_ACCESS_TOKEN_EXPIRES_IN": "2"})
		u := mustUser(t, a.URL, "scale-refresh")
		expired := time.Now().Add(2*time.Second + time.Second) // the first token and some skew
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		refreshed := map[string]int{}
		for i := 0; time.Now().Before(expired) || refreshed[a.URL] == 0 || refreshed[b.URL] == 0; i++ {
			target := []string{a.URL, b.URL}[i%2]
			r, _ := mustListedResponse(t, u, target)
			if len(r.Header.Values("Set-Cookie")) > 0 {
				refreshed[target]++
			}
			if i > 200 {
				t.Fatalf("no refresh seen on both instances after %d requests: %v", i, refreshed)
			}
			<-tick.C
		}
		t.Logf("session cookie renewed %d times by a and %d times by b", refreshed[a.URL], refreshed[b.URL])

		// The browser comes back after its access token expired and sends
		// several requests at once (tabs, htmx). Through a round-robin
		// proxy they reach both instances; only one may rotate the refresh
		// token, and none may end the session (web/refresh_retry.go).
		p := roundRobin(t, a.URL, b.URL)
		for round := range 3 {
			idle := time.NewTimer(3 * time.Second) // past the 2 s token
			<-idle.C
			errs := make(chan error, 8)
			var wg sync.WaitGroup
			for range cap(errs) {
				wg.Go(func() {
					if _, _, err := u.ListNotes(context.Background(), p.URL); err != nil {
						errs <- err
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("round %d, parallel requests after the token expired: %v", round, err)
			}
			mustListed(t, u, p.URL)
		}
	})

	t.Run("load", func(t *testing.T) {
		var extra map[string]string
		if *tokenLifetime > 0 {
			extra = map[string]string{"AUTH_ACCESS_TOKEN_EXPIRES_IN": strconv.Itoa(*tokenLifetime)}
		}
		a, b, env := mustPair(t, extra)
		proxy := roundRobin(t, a.URL, b.URL)
		cfg := loadgen.Config{
			Targets:     []string{proxy.URL},
			Users:       50,
			Requests:    max(*requests/4, 1000),
			Concurrency: 64,
			Prefix:      "scale",
		}
		res := mustLoad(t, cfg)
		mustNoServerErrors(t, res)
		mustLedger(t, a.URL, env, res, cfg.Prefix)
		mustLedger(t, b.URL, env, res, cfg.Prefix)
		mustCleanLog(t, a)
		mustCleanLog(t, b)
		if n := proxy.served[0].Load() + proxy.served[1].Load(); min(proxy.served[0].Load(), proxy.served[1].Load()) < n/3 {
			t.Errorf("the proxy did not spread the load: a %d, b %d", proxy.served[0].Load(), proxy.served[1].Load())
		}
	})
}

// mustPair starts two instances at once on one fresh Postgres database
// with the same secrets and extra settings, as a deployment rolls them out
// (their migrations take turns behind an advisory lock).
func mustPair(t testing.TB, extra map[string]string) (a, b *proc, env map[string]string) {
	t.Helper()
	env = baseEnv(t, testenv.Postgres(t))
	maps.Copy(env, extra)
	envB := maps.Clone(env)
	envB["NOTES_DATA_DIR"] = t.TempDir()
	var errA, errB error
	var wg sync.WaitGroup
	wg.Go(func() { a, errA = start(t, env) })
	wg.Go(func() { b, errB = start(t, envB) })
	wg.Wait()
	if err := errors.Join(errA, errB); err != nil {
		t.Fatal(err)
	}
	return a, b, env
}

// mustUser signs a new user up through base.
func mustUser(t testing.TB, base, name string) *loadgen.User {
	t.Helper()
	users, err := loadgen.Prepare(context.Background(), loadgen.Config{Targets: []string{base}}, loadgen.UsersFor(name, 1))
	if err != nil {
		t.Fatal(err)
	}
	return users[0]
}

// mustListed gets the user's notes page from base and returns its titles.
func mustListed(t testing.TB, u *loadgen.User, base string) map[string]bool {
	t.Helper()
	_, titles := mustListedResponse(t, u, base)
	return titles
}

func mustListedResponse(t testing.TB, u *loadgen.User, base string) (*loadgen.Response, map[string]bool) {
	t.Helper()
	r, cards, err := u.ListNotes(context.Background(), base)
	if err != nil {
		t.Fatalf("%s: %v", base, err)
	}
	titles := map[string]bool{}
	for _, c := range cards {
		titles[c.Title] = true
	}
	return r, titles
}

// rrProxy is a round-robin reverse proxy without stickiness.
type rrProxy struct {
	URL    string
	served [2]atomic.Int64
}

// roundRobin starts a reverse proxy that sends each request to the next of
// the two targets in turn, keeping the Host header as a load balancer does.
func roundRobin(t testing.TB, a, b string) *rrProxy {
	t.Helper()
	targets := []*url.URL{mustURL(t, a), mustURL(t, b)}
	p := &rrProxy{}
	var next atomic.Uint64
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			i := int(next.Add(1)-1) % len(targets)
			p.served[i].Add(1)
			r.SetURL(targets[i])
			r.Out.Host = r.In.Host
			r.SetXForwarded()
		},
		Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 128, IdleConnTimeout: 90 * time.Second},
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

func mustURL(t testing.TB, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
