package engine_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/notes-app/notes/backend/engine"
	"github.com/notes-app/notes/backend/hasurajwt"
	"github.com/notes-app/notes/internal/testenv"
)

// TestJWTScenarios replays upstream's test_jwt.py scenarios (see the
// conformance README) against the notes fixture.
func TestJWTScenarios(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	const key = "0123456789abcdef0123456789abcdef-jwt-scenarios"
	user := "11111111-1111-4111-8111-111111111111"
	hasura := func(extra map[string]any) map[string]any {
		c := map[string]any{"x-hasura-user-id": user, "x-hasura-allowed-roles": []any{"user", "editor"}, "x-hasura-default-role": "user"}
		for k, v := range extra {
			if v == nil {
				delete(c, k)
			} else {
				c[k] = v
			}
		}
		return c
	}
	base := func(claims map[string]any) jwt.MapClaims {
		return jwt.MapClaims{"sub": user, "name": "n", "iat": now.Add(-time.Minute).Unix(), "exp": now.Add(10 * time.Hour).Unix(), hasurajwt.DefaultNamespace: claims}
	}
	with := func(m jwt.MapClaims, k string, v any) jwt.MapClaims {
		m[k] = v
		return m
	}
	stringified, _ := json.Marshal(hasura(nil))
	for _, tc := range []struct {
		name    string
		config  string
		claims  jwt.MapClaims
		signKey string
		headers map[string]string
		cookie  bool
		want    string // substring of the body
	}{
		{name: "valid", claims: base(hasura(nil)), want: `"data":{"notes":[{"title"`},
		{name: "role not allowed", claims: base(hasura(map[string]any{"x-hasura-allowed-roles": []any{"contractor", "editor"}, "x-hasura-default-role": "contractor"})),
			headers: map[string]string{"X-Hasura-Role": "user"}, want: `"message":"Your requested role is not in allowed roles","extensions":{"path":"$","code":"access-denied"}`},
		{name: "no allowed roles", claims: base(hasura(map[string]any{"x-hasura-allowed-roles": nil})),
			want: `"message":"JWT claim does not contain \"x-hasura-allowed-roles\"","extensions":{"path":"$","code":"jwt-missing-role-claims"}`},
		{name: "allowed roles not a list", claims: base(hasura(map[string]any{"x-hasura-allowed-roles": "user"})),
			want: `invalid \"x-hasura-allowed-roles\"; should be a list of roles: parsing [] failed, expected Array, but encountered String","extensions":{"path":"$","code":"jwt-invalid-claims"}`},
		{name: "no default role", claims: base(hasura(map[string]any{"x-hasura-default-role": nil})),
			want: `"message":"JWT claim does not contain \"x-hasura-default-role\"","extensions":{"path":"$","code":"jwt-missing-role-claims"}`},
		{name: "expired", claims: with(base(hasura(nil)), "exp", now.Add(-time.Minute).Unix()), want: `"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}`},
		{name: "expiry within skew", config: `"allowed_skew":60`, claims: with(base(hasura(nil)), "exp", now.Add(-30*time.Second).Unix()), want: `"data"`},
		{name: "bad signature", claims: base(hasura(nil)), signKey: "another-key-another-key-another-key-42", want: `"message":"Could not verify JWT: JWSError JWSInvalidSignature"`},
		{name: "audience ok", config: `"audience":"myapp-1234"`, claims: with(base(hasura(nil)), "aud", "myapp-1234"), want: `"data"`},
		{name: "audience wrong", config: `"audience":["myapp-1234"]`, claims: with(base(hasura(nil)), "aud", "other"), want: `"message":"Could not verify JWT: JWTNotInAudience"`},
		{name: "issuer ok", config: `"issuer":"https://hasura.com"`, claims: with(base(hasura(nil)), "iss", "https://hasura.com"), want: `"data"`},
		{name: "issuer wrong", config: `"issuer":"https://hasura.com"`, claims: with(base(hasura(nil)), "iss", "https://other.com"), want: `"message":"Could not verify JWT: JWTNotInIssuer"`},
		{name: "aud and iss without config", claims: with(with(base(hasura(nil)), "aud", "x"), "iss", "y"), want: `"data"`},
		{name: "stringified claims", config: `"claims_format":"stringified_json"`, claims: base(nil), want: `"data"`},
		{name: "namespace path", config: `"claims_namespace_path":"$.hasura.claims"`,
			claims: jwt.MapClaims{"sub": user, "exp": now.Add(time.Hour).Unix(), "hasura": map[string]any{"claims": hasura(nil)}}, want: `"data"`},
		{name: "cookie", config: `"header":{"type":"Cookie","name":"hasura_user"}`, claims: base(hasura(nil)), cookie: true, want: `"data"`},
		{name: "headers are not session variables", claims: base(hasura(nil)), headers: map[string]string{"X-Hasura-User-Id": "22222222-2222-4222-8222-222222222222"}, want: `[{"title":"First"},{"title":"Second"}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := `{"type":"HS256","key":"` + key + `"`
			if tc.config != "" {
				cfg += "," + tc.config
			}
			cfg += "}"
			eng := mustNotesEngine(t, "sqlite", testenv.SQLiteURL(t), engine.Options{AdminSecret: "s", JWTSecret: cfg, Now: func() time.Time { return now }})
			signKey := key
			if tc.signKey != "" {
				signKey = tc.signKey
			}
			signer, err := hasurajwt.Parse(`{"type":"HS256","key":"` + signKey + `"}`)
			if err != nil {
				t.Fatal(err)
			}
			claims := tc.claims
			if tc.name == "stringified claims" {
				claims[hasurajwt.DefaultNamespace] = string(stringified)
			}
			tok, err := signer.Sign(claims)
			if err != nil {
				t.Fatal(err)
			}
			h := map[string]string{}
			for k, v := range tc.headers {
				h[k] = v
			}
			if tc.cookie {
				h["Cookie"] = "hasura_user=" + tok
			} else {
				h["Authorization"] = "Bearer " + tok
			}
			_, body := post(t, eng, h, map[string]any{"query": "{ notes(order_by: {title: asc}) { title } }"})
			if !strings.Contains(string(body), tc.want) {
				t.Errorf("body %s\nwant it to contain %s", body, tc.want)
			}
		})
	}
}
