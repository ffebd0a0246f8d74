package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestWiredProgramIsGuarded checks, on the whole program as main wires it
// (app, embedded backend, in-process transport), the guards the web and
// backend security tests prove in depth: security headers on pages and
// assets, CSRF on a form post, a forged token refused by /v1/graphql,
// an oversized GraphQL body refused with 413, and no admin role through
// spoofed headers.
func TestWiredProgramIsGuarded(t *testing.T) {
	t.Parallel()
	inst := startInstance(t, nil)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path string, header map[string]string, body string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, inst.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		return res, string(raw)
	}

	res, page := do("GET", "/sign-in", nil, "")
	asset := ""
	if i := strings.Index(page, `/static/`); i >= 0 {
		asset = page[i : i+strings.IndexAny(page[i:], `"' `)]
	}
	if !strings.HasPrefix(asset, "/static/") || len(asset) < 10 {
		t.Fatalf("no static asset on the sign-in page (%q)", asset)
	}
	for _, p := range []string{"/", "/sign-in", "/notes", "/no-such-page", asset} {
		res, _ := do("GET", p, nil, "")
		h := res.Header
		if !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") == "" {
			t.Errorf("GET %s (%d): security headers missing: %v", p, res.StatusCode, h)
		}
	}

	cookie := res.Header.Get("Set-Cookie")
	form := url.Values{"email": {"a@example.com"}, "password": {"correct horse battery"}}.Encode()
	if res, _ := do("POST", "/sign-in", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}, form); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST /sign-in without a CSRF token: %d", res.StatusCode)
	}
	if res, _ := do("POST", "/sign-in", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"}, form); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST /sign-in: %d", res.StatusCode)
	}

	const none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJleHAiOjQxMDI0NDQ4MDAsImh0dHBzOi8vaGFzdXJhLmlvL2p3dC9jbGFpbXMiOnsieC1oYXN1cmEtZGVmYXVsdC1yb2xlIjoidXNlciIsIngtaGFzdXJhLWFsbG93ZWQtcm9sZXMiOlsidXNlciJdLCJ4LWhhc3VyYS11c2VyLWlkIjoiMDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAwIn19."
	gqlCases := []struct {
		name   string
		header map[string]string
		body   string
		status int
		want   string
	}{
		{"alg none", map[string]string{"Authorization": "Bearer " + none}, `{"query":"{ notes { id } }"}`, 200,
			`{"errors":[{"message":"Could not verify JWT: JWSError JWSInvalidSignature","extensions":{"path":"$","code":"invalid-jwt"}}]}`},
		{"spoofed admin role", map[string]string{"X-Hasura-Role": "admin"}, `{"query":"{ users { id } }"}`, 200,
			`{"errors":[{"message":"field 'users' not found in type: 'query_root'","extensions":{"path":"$.selectionSet.users","code":"validation-failed"}}]}`},
		{"wrong admin secret", map[string]string{"X-Hasura-Admin-Secret": "guess"}, `{"query":"{ users { id } }"}`, 200,
			`{"errors":[{"message":"invalid \"x-hasura-admin-secret\"/\"x-hasura-access-key\"","extensions":{"path":"$","code":"access-denied"}}]}`},
		{"oversized body", nil, `{"query":"{ __typename }","variables":{"x":"` + strings.Repeat("x", 2<<20) + `"}}`, http.StatusRequestEntityTooLarge, ""},
	}
	for _, c := range gqlCases {
		h := map[string]string{"Content-Type": "application/json"}
		for k, v := range c.header {
			h[k] = v
		}
		res, body := do("POST", "/v1/graphql", h, c.body)
		if res.StatusCode != c.status || (c.want != "" && strings.TrimSpace(body) != c.want) {
			t.Errorf("%s: %d %.300s", c.name, res.StatusCode, body)
		}
	}
}
