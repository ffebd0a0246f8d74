package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/notes-app/notes/backend"
	"github.com/notes-app/notes/backend/authserver"
)

// githubStandIn is a local OAuth2 server speaking GitHub's protocol for
// one user: authorize, token, /user and /user/emails (GitHub cannot be
// reached from tests).
func githubStandIn(t *testing.T) authserver.ProviderEndpoints {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		back, _ := url.Parse(r.URL.Query().Get("redirect_uri"))
		back.RawQuery = url.Values{"state": {r.URL.Query().Get("state")}, "code": {"gh-code"}}.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "gh-token", "token_type": "Bearer", "expires_in": 3600})
	})
	mux.HandleFunc("GET /user", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"id": 4242, "login": "octo", "name": "Octo Cat", "email": nil, "avatar_url": "https://pics.test/4242"})
	})
	mux.HandleFunc("GET /user/emails", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode([]map[string]any{{"email": "octo@example.com", "primary": true, "verified": true}})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return authserver.ProviderEndpoints{AuthURL: srv.URL + "/authorize", TokenURL: srv.URL + "/token",
		ProfileURL: srv.URL + "/user", EmailURL: srv.URL + "/user/emails"}
}

// hop follows one redirect outside the app and returns the next Location.
func (b *browser) hop(u string) string {
	b.t.Helper()
	res, err := b.hc.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound && res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("GET %s: %d, want a redirect", u, res.StatusCode)
	}
	return res.Header.Get("Location")
}

// TestRealProviderSignInUsesPKCE signs in with GitHub (a stand-in) through
// the real auth service: the redirect brings back a PKCE code for this
// browser's flow, which only this browser can exchange.
func TestRealProviderSignInUsesPKCE(t *testing.T) {
	t.Parallel()
	gh := githubStandIn(t)
	env := map[string]string{"AUTH_PROVIDER_GITHUB_ENABLED": "true", "AUTH_PROVIDER_GITHUB_CLIENT_ID": "id", "AUTH_PROVIDER_GITHUB_CLIENT_SECRET": "secret"}
	b, _ := mustApp(t, env, nil, func(o *backend.Options) {
		o.ProviderEndpoints = map[string]authserver.ProviderEndpoints{"github": gh}
	})
	r := b.get("/sign-in/provider/github")
	mustStatus(t, r, http.StatusSeeOther)
	authorize := b.hop(r.header.Get("Location"))
	if !strings.HasPrefix(authorize, gh.AuthURL) {
		t.Fatalf("the auth service sent the browser to %s", authorize)
	}
	back := b.hop(b.hop(authorize))
	if !strings.HasPrefix(back, b.base+"/auth/callback?") {
		t.Fatalf("the provider sign-in came back to %s", back)
	}
	path := strings.TrimPrefix(back, b.base)
	if q := mustQuery(t, path); q.Get("code") == "" || q.Has("refreshToken") {
		t.Fatalf("hand-off %s: want a PKCE code only", path)
	}
	other := b.fork()
	other.mustRefused(other.get(path), "asked for in another browser")
	r = b.get(path)
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/notes")
	r = b.get("/notes")
	mustStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, "Octo Cat") {
		t.Fatal("signed in, but not as the GitHub user")
	}
}
