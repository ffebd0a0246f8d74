package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/notes-app/notes/backend"
	"github.com/notes-app/notes/web"
)

const stackSecret = testAdminSecret

// stack is the app in front of the real embedded backend, with a raw
// GraphQL client of the backend for assertions and setup.
type stack struct {
	t       *testing.T
	backend string
}

// mustStack starts the real backend (SQLite unless beOpts name another
// database, see onEachDialect) and the app before it (mustApp, with email
// verification off); env sets auth variables and mod adjusts the app's
// options.
func mustStack(t *testing.T, env map[string]string, mod func(*web.Options), beOpts ...func(*backend.Options)) (*browser, *stack) {
	t.Helper()
	vars := map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}
	for k, v := range env {
		vars[k] = v
	}
	b, be := mustApp(t, vars, mod, beOpts...)
	return b, &stack{t: t, backend: be.URL}
}

// gql sends a GraphQL request to the backend with headers and returns the
// decoded response body.
func (s *stack) gql(hdr map[string]string, query string, vars map[string]any) map[string]any {
	s.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", s.backend+"/v1/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		s.t.Fatal(err)
	}
	return out
}

// admin sends query with the admin secret and fails on a GraphQL error.
func (s *stack) admin(query string, vars map[string]any) map[string]any {
	s.t.Helper()
	out := s.gql(map[string]string{"x-hasura-admin-secret": stackSecret}, query, vars)
	if out["errors"] != nil {
		s.t.Fatalf("admin %s: %v", query, out["errors"])
	}
	return out["data"].(map[string]any)
}

// signIn signs in over the auth API and returns the access token.
func (s *stack) signIn(email, password string) string {
	s.t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	res, err := http.Post(s.backend+"/v1/auth/signin/email-password", "application/json", bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Session struct {
			AccessToken string `json:"accessToken"`
		} `json:"session"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Session.AccessToken == "" {
		s.t.Fatalf("sign in %s: status %d, %v", email, res.StatusCode, err)
	}
	return out.Session.AccessToken
}

// userID returns the id of the user with email.
func (s *stack) userID(email string) string {
	s.t.Helper()
	d := s.admin(`query($e: citext!) { users(where: {email: {_eq: $e}}) { id } }`, map[string]any{"e": email})
	us := d["users"].([]any)
	if len(us) != 1 {
		s.t.Fatalf("users with %s: %d", email, len(us))
	}
	return us[0].(map[string]any)["id"].(string)
}

// firstError returns the message and code of the first GraphQL error.
func firstError(out map[string]any) (msg, code string) {
	errs, _ := out["errors"].([]any)
	if len(errs) == 0 {
		return "", ""
	}
	e := errs[0].(map[string]any)
	msg, _ = e["message"].(string)
	if ext, ok := e["extensions"].(map[string]any); ok {
		code, _ = ext["code"].(string)
	}
	return msg, code
}
