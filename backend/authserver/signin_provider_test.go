package authserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// identity is one account at a fake provider.
type identity struct {
	id, name, email string
	verified        bool
}

// fakeProvider is a local OAuth2 server playing one provider: authorize
// redirect, token endpoint and profile endpoints in that provider's JSON.
type fakeProvider struct {
	t     *testing.T
	name  string
	srv   *httptest.Server
	mu    sync.Mutex
	next  identity
	deny  bool
	down  bool // the profile endpoint fails
	codes map[string]identity
}

func newFakeProvider(t *testing.T, name string) *fakeProvider {
	f := &fakeProvider{t: t, name: name, codes: map[string]identity{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", f.authorize)
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("GET /profile", f.profile)
	mux.HandleFunc("GET /emails", f.emails)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeProvider) endpoints() ProviderEndpoints {
	return ProviderEndpoints{AuthURL: f.srv.URL + "/authorize", TokenURL: f.srv.URL + "/token",
		ProfileURL: f.srv.URL + "/profile", EmailURL: f.srv.URL + "/emails"}
}

func (f *fakeProvider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != f.name+"-client" || q.Get("response_type") != "code" {
		http.Error(w, "bad authorize request", http.StatusBadRequest)
		return
	}
	back, _ := url.Parse(q.Get("redirect_uri"))
	params := url.Values{"state": {q.Get("state")}}
	f.mu.Lock()
	if f.deny {
		params.Set("error", "access_denied")
		params.Set("error_description", "The user denied your request")
	} else {
		code := "code-" + strconv.Itoa(len(f.codes))
		f.codes[code] = f.next
		params.Set("code", code)
	}
	f.mu.Unlock()
	back.RawQuery = params.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (f *fakeProvider) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	f.mu.Lock()
	_, known := f.codes[r.PostForm.Get("code")]
	f.mu.Unlock()
	if id != f.name+"-client" || secret != f.name+"-secret" || !known {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at:" + r.PostForm.Get("code"),
		"token_type": "Bearer", "expires_in": 3600, "refresh_token": "rt"})
}

func (f *fakeProvider) caller(r *http.Request) (identity, bool) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if tok == "" {
		tok = r.URL.Query().Get("access_token")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	who, ok := f.codes[strings.TrimPrefix(tok, "at:")]
	return who, ok
}

func (f *fakeProvider) profile(w http.ResponseWriter, r *http.Request) {
	who, ok := f.caller(r)
	if !ok || f.down {
		http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
		return
	}
	first, last, _ := strings.Cut(who.name, " ")
	var body any
	switch f.name {
	case "google":
		body = map[string]any{"id": who.id, "email": who.email, "verified_email": who.verified, "name": who.name,
			"given_name": first, "family_name": last, "picture": "https://pics.test/" + who.id}
	case "github":
		n, _ := strconv.Atoi(who.id)
		body = map[string]any{"id": n, "login": strings.ToLower(first), "name": who.name, "email": nil, "avatar_url": "https://pics.test/" + who.id}
	case "facebook":
		body = map[string]any{"id": who.id, "name": who.name, "email": who.email, "first_name": first, "last_name": last,
			"picture": map[string]any{"data": map[string]any{"url": "https://pics.test/" + who.id}}}
	case "linkedin":
		body = map[string]any{"sub": who.id, "name": who.name, "given_name": first, "family_name": last,
			"picture": "https://pics.test/" + who.id, "email": who.email, "email_verified": who.verified, "locale": "en_US"}
	case "spotify":
		body = map[string]any{"id": who.id, "display_name": who.name, "email": who.email, "images": []map[string]string{{"url": "https://pics.test/" + who.id}}}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

// emails serves GitHub's /user/emails.
func (f *fakeProvider) emails(w http.ResponseWriter, r *http.Request) {
	who, ok := f.caller(r)
	if !ok {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode([]map[string]any{
		{"email": "old-" + who.email, "primary": false, "verified": true},
		{"email": who.email, "primary": true, "verified": true},
	})
}

// providerEnv is a server with the five providers played by fakes.
func providerEnv(t *testing.T, dbURL func(testing.TB) string) (*testEnv, map[string]*fakeProvider) {
	fakes := map[string]*fakeProvider{}
	env := map[string]string{}
	eps := map[string]ProviderEndpoints{}
	for _, name := range providerNames {
		fakes[name] = newFakeProvider(t, name)
		p := "AUTH_PROVIDER_" + strings.ToUpper(name) + "_"
		env[p+"ENABLED"], env[p+"CLIENT_ID"], env[p+"CLIENT_SECRET"] = "true", name+"-client", name+"-secret"
		eps[name] = fakes[name].endpoints()
	}
	e := mustEnv(t, dbURL, setup{env: env, opts: func(o *Options) { o.ProviderEndpoints = eps }})
	return e, fakes
}

// oauth runs the browser's part of a provider round trip and returns the
// final redirect to the app.
func (e *testEnv) oauth(f *fakeProvider, query string, beforeCallback func(*url.URL)) *url.URL {
	e.t.Helper()
	start := e.get("/signin/provider/" + f.name + "?" + query).location(e.t)
	if !strings.HasPrefix(start.String(), f.srv.URL+"/authorize") {
		e.t.Fatalf("start redirects to %s", start)
	}
	callback := e.do(http.MethodGet, start.String(), nil, nil).location(e.t)
	if beforeCallback != nil {
		beforeCallback(callback)
	}
	return e.do(http.MethodGet, callback.String(), nil, nil).location(e.t)
}

func TestProviders(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e, fakes := providerEnv(t, dbURL)
		if got := strings.Join(e.srv.EnabledProviders(), ","); got != "google,github,facebook,linkedin,spotify" {
			t.Fatalf("EnabledProviders = %s", got)
		}
		for i, name := range providerNames {
			f := fakes[name]
			verified := name != "spotify"
			t.Run(name, func(t *testing.T) {
				f.next = identity{id: strconv.Itoa(1000 + i), name: "Pat " + name, email: "pat." + name + "@example.com", verified: true}
				var firstID string
				t.Run("new user", func(t *testing.T) {
					loc := e.oauth(f, "redirectTo="+url.QueryEscape("https://allowed.test/callback?from=oauth")+"&state=app-state&locale=en", nil)
					if loc.Host != "allowed.test" || loc.Query().Get("from") != "oauth" || loc.Query().Get("state") != "app-state" {
						t.Fatalf("redirect %s", loc)
					}
					if !verified {
						if loc.Query().Get("refreshToken") != "" || len(e.outbox(f.next.email)) != 1 {
							t.Fatalf("an unverified provider email gets a verification email, not a session: %s", loc)
						}
						e.follow(e.lastLink(f.next.email))
						loc = e.oauth(f, "", nil)
					}
					s := e.refresh(loc.Query().Get("refreshToken")).json(t)
					u := s["user"].(map[string]any)
					if u["email"] != f.next.email || u["emailVerified"] != true || u["displayName"] != f.next.name {
						t.Fatalf("user %v", u)
					}
					if u["avatarUrl"] != "https://pics.test/"+f.next.id {
						t.Fatalf("avatar %v", u["avatarUrl"])
					}
					firstID = u["id"].(string)
					var linked string
					if err := e.db.QueryRow(e.srv.d.q(`SELECT user_id FROM {user_providers} WHERE provider_id = $1 AND provider_user_id = $2`), name, f.next.id).Scan(&linked); err != nil || linked != firstID {
						t.Fatalf("user_providers: %q (%v)", linked, err)
					}
				})
				t.Run("returning user", func(t *testing.T) {
					loc := e.oauth(f, "", nil)
					if loc.Host != "app.test" {
						t.Fatalf("default redirect is the client URL: %s", loc)
					}
					s := e.refresh(loc.Query().Get("refreshToken")).json(t)
					if s["user"].(map[string]any)["id"] != firstID {
						t.Fatal("returning user must be the same user")
					}
				})
				t.Run("link by email", func(t *testing.T) {
					email := "link." + name + "@example.com"
					own := e.signUp(email)["user"].(map[string]any)["id"]
					f.next = identity{id: "L" + strconv.Itoa(i), name: "Link " + name, email: email, verified: true}
					loc := e.oauth(f, "", nil)
					if !verified {
						if loc.Query().Get("error") != "email-already-in-use" {
							t.Fatalf("an unverified provider email must not take over an account: %s", loc)
						}
						return
					}
					s := e.refresh(loc.Query().Get("refreshToken")).json(t)
					if s["user"].(map[string]any)["id"] != own {
						t.Fatal("the identity must be linked to the existing user")
					}
				})
				t.Run("denied consent", func(t *testing.T) {
					f.deny = true
					defer func() { f.deny = false }()
					loc := e.oauth(f, "state=s1", nil)
					q := loc.Query()
					if q.Get("error") != "oauth-provider-error" || q.Get("provider_error") != "access_denied" ||
						q.Get("provider_error_description") == "" || q.Get("refreshToken") != "" || q.Get("state") != "s1" {
						t.Fatalf("redirect %s", loc)
					}
				})
				t.Run("bad state", func(t *testing.T) {
					loc := e.oauth(f, "", func(cb *url.URL) {
						q := cb.Query()
						q.Set("state", q.Get("state")+"x")
						cb.RawQuery = q.Encode()
					})
					if loc.Host != "app.test" || loc.Query().Get("error") != "invalid-state" || loc.Query().Get("provider_state") == "" {
						t.Fatalf("redirect %s", loc)
					}
				})
				t.Run("expired state", func(t *testing.T) {
					loc := e.oauth(f, "", func(*url.URL) { e.clock.Advance(61 * time.Second) })
					if loc.Query().Get("error") != "invalid-state" {
						t.Fatalf("redirect %s", loc)
					}
				})
				t.Run("failed profile fetch", func(t *testing.T) {
					f.down = true
					defer func() { f.down = false }()
					loc := e.oauth(f, "", nil)
					if loc.Query().Get("error") != "oauth-profile-fetch-failed" {
						t.Fatalf("redirect %s", loc)
					}
				})
				t.Run("failed code exchange", func(t *testing.T) {
					loc := e.oauth(f, "", func(cb *url.URL) {
						q := cb.Query()
						q.Set("code", "forged")
						cb.RawQuery = q.Encode()
					})
					if loc.Query().Get("error") != "oauth-token-echange-failed" {
						t.Fatalf("redirect %s", loc)
					}
				})
			})
		}
		t.Run("start errors", func(t *testing.T) {
			wantError(t, e.get("/signin/provider/github?redirectTo=https://evil.test"), 400, "redirectTo-not-allowed")
			wantError(t, e.get("/signin/provider/myspace"), 400, "invalid-request")
			wantError(t, e.get("/signin/provider/github?allowedRoles=admin"), 400, "role-not-allowed")
			loc := e.get("/signin/provider/gitlab?redirectTo=" + url.QueryEscape(testClientURL+"/x")).location(t)
			if loc.Query().Get("error") != "disabled-endpoint" || loc.Path != "/x" {
				t.Fatalf("disabled provider: %s", loc)
			}
		})
		t.Run("an unverified pre-registration loses its password", func(t *testing.T) {
			r := e.post("/signup/email-password", map[string]any{"email": "victim@example.com", "password": testPassword})
			if r.status != http.StatusOK {
				t.Fatalf("sign up: %d %s", r.status, r.raw)
			}
			f := fakes["google"]
			f.next = identity{id: "victim", name: "Real Owner", email: "victim@example.com", verified: true}
			loc := e.oauth(f, "", nil)
			if loc.Query().Get("refreshToken") == "" {
				t.Fatalf("redirect %s", loc)
			}
			wantError(t, e.post("/signin/email-password", map[string]any{"email": "victim@example.com", "password": testPassword}), 401, "invalid-email-password")
		})
		t.Run("connect links to the signed-in user", func(t *testing.T) {
			me := e.signUp("connect@example.com")
			f := fakes["github"]
			f.next = identity{id: "777", name: "Other Name", email: "other@example.com", verified: true}
			loc := e.oauth(f, "connect="+url.QueryEscape(me["accessToken"].(string)), nil)
			if loc.Query().Get("refreshToken") != "" || loc.Query().Get("error") != "" {
				t.Fatalf("connect redirect %s", loc)
			}
			loc = e.oauth(f, "", nil)
			s := e.refresh(loc.Query().Get("refreshToken")).json(t)
			if s["user"].(map[string]any)["id"] != me["user"].(map[string]any)["id"] {
				t.Fatal("the linked identity must sign in as the connecting user")
			}
		})
	})
}

func TestProviderAutoSignupOff(t *testing.T) {
	t.Parallel()
	f := newFakeProvider(t, "github")
	e := mustEnv(t, sqliteURL, setup{
		env: map[string]string{"AUTH_DISABLE_AUTO_SIGNUP": "true", "AUTH_PROVIDER_GITHUB_ENABLED": "true",
			"AUTH_PROVIDER_GITHUB_CLIENT_ID": "github-client", "AUTH_PROVIDER_GITHUB_CLIENT_SECRET": "github-secret"},
		opts: func(o *Options) { o.ProviderEndpoints = map[string]ProviderEndpoints{"github": f.endpoints()} },
	})
	f.next = identity{id: "5", name: "No Body", email: "nobody@example.com", verified: true}
	if loc := e.oauth(f, "", nil); loc.Query().Get("error") != "invalid-email-password" {
		t.Fatalf("sign-in flow must not create users: %s", loc)
	}
	start := e.get("/signup/provider/github").location(t)
	cb := e.do(http.MethodGet, start.String(), nil, nil).location(t)
	if loc := e.do(http.MethodGet, cb.String(), nil, nil).location(t); loc.Query().Get("refreshToken") == "" {
		t.Fatalf("the sign-up flow creates the user: %s", loc)
	}
	wantOK(t, e.post("/signin/passwordless/email", map[string]any{"email": "silent@example.com"}))
	if len(e.outbox("silent@example.com")) != 0 {
		t.Fatal("an unknown address gets nothing with auto sign-up off")
	}
}
