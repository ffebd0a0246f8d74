package backend_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/notes-app/notes/backend"
	"github.com/notes-app/notes/backend/authserver"
	"github.com/notes-app/notes/internal/testenv"
)

const adminSecret = "test-admin-secret"

// mustBackend starts the embedded backend over a fresh database of the
// given dialect, serving the repository's Nhost project. now, when not
// nil, is the auth server's clock (the engine keeps the real one).
func mustBackend(t *testing.T, dbURL string, now func() time.Time) *httptest.Server {
	t.Helper()
	cfg, err := authserver.LoadConfig(func(k string) string {
		return map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := backend.New(context.Background(), backend.Options{
		DatabaseURL:      dbURL,
		Project:          os.DirFS(filepath.Join(testenv.RepoRoot(t), "nhost")),
		AdminSecret:      adminSecret,
		JWTSecret:        `{"type":"HS256","key":"0123456789abcdef0123456789abcdef"}`,
		UnauthorizedRole: "public",
		Auth:             cfg,
		Now:              now,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b)
	t.Cleanup(func() { srv.Close(); b.Close() })
	return srv
}

func post(t *testing.T, url string, header map[string]string, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return send(t, req)
}

// send runs a request and returns its status and body.
func send(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

type session struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	User         struct {
		ID string `json:"id"`
	} `json:"user"`
}

func mustSignUp(t *testing.T, base, email string) session {
	t.Helper()
	st, body := post(t, base+"/v1/auth/signup/email-password", nil, `{"email":"`+email+`","password":"correct horse battery"}`)
	var p struct{ Session *session }
	if st != 200 || json.Unmarshal([]byte(body), &p) != nil || p.Session == nil {
		t.Fatalf("sign-up %s: %d %s", email, st, body)
	}
	return *p.Session
}

func gql(t *testing.T, base string, header map[string]string, query string) string {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"query": query})
	st, body := post(t, base+"/v1/graphql", header, string(b))
	if st != 200 {
		t.Fatalf("graphql status %d: %s", st, body)
	}
	return compact(t, body)
}

func compact(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %s", s)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func bearer(s session) map[string]string {
	return map[string]string{"Authorization": "Bearer " + s.AccessToken}
}

// TestAuthTokensDriveEngineRoles: a token the auth server issues is
// accepted by the engine with the user's id and roles, and the engine's
// role resolution follows Hasura's rules for it.
func TestAuthTokensDriveEngineRoles(t *testing.T) {
	t.Parallel()
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			srv := mustBackend(t, d.URL(t), nil)
			ann, bob := mustSignUp(t, srv.URL, "ann@example.com"), mustSignUp(t, srv.URL, "bob@example.com")

			got := gql(t, srv.URL, bearer(ann), `mutation { insert_notes_one(object: {title: "ann's"}) { user_id title } }`)
			want := compact(t, `{"data":{"insert_notes_one":{"user_id":"`+ann.User.ID+`","title":"ann's"}}}`)
			if got != want {
				t.Fatalf("insert as ann:\n got %s\nwant %s", got, want)
			}
			if got := gql(t, srv.URL, bearer(bob), `{ notes { title } }`); got != `{"data":{"notes":[]}}` {
				t.Fatalf("bob sees %s", got)
			}

			cases := []struct {
				name, role, want string
			}{
				{"allowed role without permissions", "me", `{"errors":[{"extensions":{"code":"validation-failed","path":"$.selectionSet.notes"},"message":"field 'notes' not found in type: 'query_root'"}]}`},
				{"role outside the allowed roles", "moderator", `{"errors":[{"extensions":{"code":"access-denied","path":"$"},"message":"Your requested role is not in allowed roles"}]}`},
				{"admin is not an allowed role", "admin", `{"errors":[{"extensions":{"code":"access-denied","path":"$"},"message":"Your requested role is not in allowed roles"}]}`},
			}
			for _, c := range cases {
				h := bearer(ann)
				h["X-Hasura-Role"] = c.role
				if got := gql(t, srv.URL, h, `{ notes { title } }`); got != compact(t, c.want) {
					t.Errorf("%s: got %s", c.name, got)
				}
			}

			h := bearer(bob)
			h["X-Hasura-User-Id"] = ann.User.ID
			if got := gql(t, srv.URL, h, `{ notes { title } }`); got != `{"data":{"notes":[]}}` {
				t.Fatalf("an X-Hasura-User-Id header next to a token was trusted: %s", got)
			}
		})
	}
}

// TestExpiredAuthTokenIsRefusedByEngine: a token whose lifetime is over
// is refused with Hasura's invalid-jwt error and reads nothing.
func TestExpiredAuthTokenIsRefusedByEngine(t *testing.T) {
	t.Parallel()
	past := func() time.Time { return time.Now().Add(-2 * time.Hour) }
	srv := mustBackend(t, testenv.SQLiteURL(t), past)
	s := mustSignUp(t, srv.URL, "late@example.com")
	got := gql(t, srv.URL, bearer(s), `{ notes { title } }`)
	want := compact(t, `{"errors":[{"extensions":{"code":"invalid-jwt","path":"$"},"message":"Could not verify JWT: JWTExpired"}]}`)
	if got != want {
		t.Fatalf("expired token: %s", got)
	}
}

// TestSignOutRevokesRefreshToken: after sign-out the refresh token no
// longer yields a session.
func TestSignOutRevokesRefreshToken(t *testing.T) {
	t.Parallel()
	srv := mustBackend(t, testenv.SQLiteURL(t), nil)
	s := mustSignUp(t, srv.URL, "out@example.com")
	if st, body := post(t, srv.URL+"/v1/auth/signout", bearer(s), `{"refreshToken":"`+s.RefreshToken+`"}`); st != 200 || strings.TrimSpace(body) != `"OK"` {
		t.Fatalf("sign-out: %d %s", st, body)
	}
	st, body := post(t, srv.URL+"/v1/auth/token", nil, `{"refreshToken":"`+s.RefreshToken+`"}`)
	if st != 401 || !strings.Contains(body, `"invalid-refresh-token"`) {
		t.Fatalf("refresh after sign-out: %d %s", st, body)
	}
}

// TestAuthTablesGenerateIDsOnBothDialects: an admin GraphQL insert into an
// auth table without an id gets a lowercase v4 uuid from the database, as
// gen_random_uuid() gives it on Postgres, so the app and the Hasura console
// behave the same on SQLite.
func TestAuthTablesGenerateIDsOnBothDialects(t *testing.T) {
	t.Parallel()
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			srv := mustBackend(t, d.URL(t), nil)
			admin := map[string]string{"X-Hasura-Admin-Secret": adminSecret}
			got := gql(t, srv.URL, admin, `mutation { insertUser(object: {email: "made@example.com", locale: "en"}) { id } }`)
			var out struct {
				Data struct {
					InsertUser struct{ ID string } `json:"insertUser"`
				} `json:"data"`
			}
			if err := json.Unmarshal([]byte(got), &out); err != nil || !uuidV4.MatchString(out.Data.InsertUser.ID) {
				t.Fatalf("insertUser without id: %s", got)
			}
			id := out.Data.InsertUser.ID
			got = gql(t, srv.URL, admin, `mutation { insertAuthUserRole(object: {userId: "`+id+`", role: "me"}) { role } }`)
			if got != `{"data":{"insertAuthUserRole":{"role":"me"}}}` {
				t.Fatalf("insertAuthUserRole without id: %s", got)
			}
		})
	}
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
