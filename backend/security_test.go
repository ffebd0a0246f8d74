package backend_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"gopkg.in/yaml.v3"

	"github.com/notes-app/notes/backend"
	"github.com/notes-app/notes/backend/authserver"
	"github.com/notes-app/notes/backend/hasurajwt"
	"github.com/notes-app/notes/internal/testenv"
)

// securitySkew is the allowed_skew the token tests configure.
const securitySkew = 60 * time.Second

const hsKey = "0123456789abcdef0123456789abcdef-security"

// mustBackendJWT is mustBackend with the given HASURA_GRAPHQL_JWT_SECRET.
func mustBackendJWT(t *testing.T, jwtSecret string) *httptest.Server {
	t.Helper()
	cfg, err := authserver.LoadConfig(func(k string) string {
		return map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := backend.New(context.Background(), backend.Options{
		DatabaseURL:      testenv.SQLiteURL(t),
		Project:          os.DirFS(filepath.Join(testenv.RepoRoot(t), "nhost")),
		AdminSecret:      adminSecret,
		JWTSecret:        jwtSecret,
		UnauthorizedRole: "public",
		Auth:             cfg,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b)
	t.Cleanup(func() { srv.Close(); b.Close() })
	return srv
}

// rsaSecret returns an RS256 HASURA_GRAPHQL_JWT_SECRET that can sign, and
// the PEM of its public key.
func rsaSecret(t *testing.T) (secret string, publicPEM []byte) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	publicPEM = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
	b, _ := json.Marshal(map[string]any{
		"type":         "RS256",
		"key":          string(publicPEM),
		"signing_key":  string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})),
		"allowed_skew": securitySkew.Seconds(),
	})
	return string(b), publicPEM
}

// hasuraClaims are the claims the auth server puts in a user's token.
func hasuraClaims(userID string, exp time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"sub": userID, "iat": time.Now().Unix(), "exp": exp.Unix(), "iss": "hasura-auth",
		hasurajwt.DefaultNamespace: map[string]any{
			"x-hasura-user-id":           userID,
			"x-hasura-default-role":      "user",
			"x-hasura-allowed-roles":     []any{"user", "me"},
			"x-hasura-user-is-anonymous": "false",
		},
	}
}

func mustSignWith(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func hasuraError(code, msg string) string {
	b, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"extensions": map[string]any{"code": code, "path": "$"}, "message": msg}}})
	return string(b)
}

// tamper replaces the token's payload with edit(payload), keeping the
// header and the signature.
func tamper(t *testing.T, token string, edit func(jwt.MapClaims)) string {
	t.Helper()
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var mc jwt.MapClaims
	if err := json.Unmarshal(raw, &mc); err != nil {
		t.Fatal(err)
	}
	edit(mc)
	raw, _ = json.Marshal(mc)
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	return strings.Join(parts, ".")
}

const (
	sigInvalid    = "Could not verify JWT: JWSError JWSInvalidSignature"
	roleNotAllowd = "Your requested role is not in allowed roles"
	notesQuery    = `{ notes { title } }`
)

// TestTokensAreVerifiedEndToEnd sends forged, expired, premature, tampered
// and malformed tokens, and spoofed Hasura headers, to /v1/graphql of the
// real backend (HS256 with allowed_skew 60). Each is refused with the
// Hasura contract's exact error body (reference §7–§9) and no data; a
// token signed correctly with the same claims reads the user's note, so
// the refusals are the verification's doing.
func TestTokensAreVerifiedEndToEnd(t *testing.T) {
	t.Parallel()
	srv := mustBackendJWT(t, `{"type":"HS256","key":"`+hsKey+`","allowed_skew":60}`)
	ann, bob := mustSignUp(t, srv.URL, "ann@example.com"), mustSignUp(t, srv.URL, "bob@example.com")
	gql(t, srv.URL, bearer(ann), `mutation { insert_notes_one(object: {title: "ann's secret"}) { id } }`)
	annNotes := `{"data":{"notes":[{"title":"ann's secret"}]}}`

	key := []byte(hsKey)
	now := time.Now()
	good := func() jwt.MapClaims { return hasuraClaims(ann.User.ID, now.Add(time.Hour)) }
	ns := func(edit func(map[string]any)) jwt.MapClaims {
		c := good()
		edit(c[hasurajwt.DefaultNamespace].(map[string]any))
		return c
	}
	with := func(k string, v any) jwt.MapClaims {
		c := good()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	rsSecret, _ := rsaSecret(t)
	rs, err := hasurajwt.Parse(rsSecret)
	if err != nil {
		t.Fatal(err)
	}
	rsToken, err := rs.Sign(good())
	if err != nil {
		t.Fatal(err)
	}
	none := mustSignWith(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good())
	valid := mustSignWith(t, jwt.SigningMethodHS256, key, good())
	// A bob token edited to name ann: the classic tampered-claims attack.
	bobTampered := tamper(t, mustSignWith(t, jwt.SigningMethodHS256, key, hasuraClaims(bob.User.ID, now.Add(time.Hour))), func(mc jwt.MapClaims) {
		mc["sub"] = ann.User.ID
		mc[hasurajwt.DefaultNamespace].(map[string]any)["x-hasura-user-id"] = ann.User.ID
	})
	sign := func(c jwt.MapClaims) string { return mustSignWith(t, jwt.SigningMethodHS256, key, c) }
	auth := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	plus := func(h map[string]string, k, v string) map[string]string {
		out := map[string]string{k: v}
		for hk, hv := range h {
			out[hk] = hv
		}
		return out
	}

	cases := []struct {
		name   string
		header map[string]string
		want   string
	}{
		{"control: a correctly signed token reads the note", auth(valid), annNotes},
		{"control: expired within the allowed skew", auth(sign(with("exp", now.Add(-securitySkew+20*time.Second).Unix()))), annNotes},
		{"control: not yet valid within the allowed skew", auth(sign(with("nbf", now.Add(securitySkew-20*time.Second).Unix()))), annNotes},

		{"alg none", auth(none), hasuraError("invalid-jwt", sigInvalid)},
		{"alg none with the signature stripped", auth(strings.TrimSuffix(none, ".") + "."), hasuraError("invalid-jwt", sigInvalid)},
		{"HS256 signed with the wrong key", auth(mustSignWith(t, jwt.SigningMethodHS256, []byte(strings.Repeat("k", 40)), good())), hasuraError("invalid-jwt", sigInvalid)},
		{"HS512 signed with the right key", auth(mustSignWith(t, jwt.SigningMethodHS512, key, good())), hasuraError("invalid-jwt", sigInvalid)},
		{"RS256 token against the HS256 secret", auth(rsToken), hasuraError("invalid-jwt", sigInvalid)},
		{"expired beyond the allowed skew", auth(sign(with("exp", now.Add(-securitySkew-20*time.Second).Unix()))), hasuraError("invalid-jwt", "Could not verify JWT: JWTExpired")},
		{"not yet valid beyond the allowed skew", auth(sign(with("nbf", now.Add(securitySkew+20*time.Second).Unix()))), hasuraError("invalid-jwt", "Could not verify JWT: JWTNotYetValid")},
		{"no exp", auth(sign(with("exp", nil))), hasuraError("invalid-jwt", `Could not verify JWT: JWTClaimsSetDecodeError "exp" claim is required`)},
		{"tampered claims, signature kept", auth(bobTampered), hasuraError("invalid-jwt", sigInvalid)},
		{"tampered role claims, signature kept", auth(tamper(t, valid, func(mc jwt.MapClaims) {
			mc[hasurajwt.DefaultNamespace].(map[string]any)["x-hasura-allowed-roles"] = []any{"user", "admin"}
		})), hasuraError("invalid-jwt", sigInvalid)},
		{"signature cut off", auth(valid[:strings.LastIndex(valid, ".")+1]), hasuraError("invalid-jwt", sigInvalid)},
		{"not a JWT", auth("garbage"), hasuraError("invalid-jwt", "Could not verify JWT: JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)")},
		{"malformed Authorization header", map[string]string{"Authorization": "Token " + valid}, hasuraError("invalid-headers", "Malformed Authorization header")},
		{"claims namespace missing", auth(sign(with(hasurajwt.DefaultNamespace, nil))), hasuraError("jwt-invalid-claims", "claims key: 'https://hasura.io/jwt/claims' not found")},
		{"claims namespace not an object", auth(sign(with(hasurajwt.DefaultNamespace, "x-hasura-default-role=user"))), hasuraError("jwt-invalid-claims", "expecting a json object when claims_format is json")},
		{"claims namespace a list", auth(sign(with(hasurajwt.DefaultNamespace, []any{"user"}))), hasuraError("jwt-invalid-claims", "expecting a json object when claims_format is json")},
		{"allowed roles missing", auth(sign(ns(func(m map[string]any) { delete(m, "x-hasura-allowed-roles") }))), hasuraError("jwt-missing-role-claims", `JWT claim does not contain "x-hasura-allowed-roles"`)},
		{"default role missing", auth(sign(ns(func(m map[string]any) { delete(m, "x-hasura-default-role") }))), hasuraError("jwt-missing-role-claims", `JWT claim does not contain "x-hasura-default-role"`)},
		{"allowed roles not a list", auth(sign(ns(func(m map[string]any) { m["x-hasura-allowed-roles"] = "user" }))), hasuraError("jwt-invalid-claims", `invalid "x-hasura-allowed-roles"; should be a list of roles: parsing [] failed, expected Array, but encountered String`)},
		{"user id not a string", auth(sign(ns(func(m map[string]any) { m["x-hasura-user-id"] = 7 }))), hasuraError("jwt-invalid-claims", "x-hasura-* claims: parsing Text failed, expected String, but encountered Number")},
		{"default role not in the allowed roles", auth(sign(ns(func(m map[string]any) { m["x-hasura-default-role"] = "admin" }))), hasuraError("access-denied", roleNotAllowd)},
		{"x-hasura-role header not in the allowed roles", plus(auth(valid), "X-Hasura-Role", "admin"), hasuraError("access-denied", roleNotAllowd)},
		{"x-hasura-role header for a role of another user", plus(auth(valid), "X-Hasura-Role", "anonymous"), hasuraError("access-denied", roleNotAllowd)},
		{"wrong admin secret", map[string]string{"X-Hasura-Admin-Secret": "guess"}, hasuraError("access-denied", `invalid "x-hasura-admin-secret"/"x-hasura-access-key"`)},
		{"wrong admin secret beside a valid token", plus(auth(valid), "X-Hasura-Admin-Secret", adminSecret+"x"), hasuraError("access-denied", `invalid "x-hasura-admin-secret"/"x-hasura-access-key"`)},
		{"empty admin secret", map[string]string{"X-Hasura-Admin-Secret": ""}, hasuraError("access-denied", `invalid "x-hasura-admin-secret"/"x-hasura-access-key"`)},
		{"wrong legacy access key", map[string]string{"X-Hasura-Access-Key": "guess"}, hasuraError("access-denied", `invalid "x-hasura-admin-secret"/"x-hasura-access-key"`)},
		{"two tokens", nil, hasuraError("invalid-headers", "Could not verify JWT: Multiple JWTs found")},

		// Spoofed session headers without the admin secret: a JWT request
		// takes its variables from the token only; an anonymous request
		// is the unauthorized role (public), whatever it claims.
		{"X-Hasura-User-Id beside bob's token", plus(bearer(bob), "X-Hasura-User-Id", ann.User.ID), `{"data":{"notes":[]}}`},
		{"X-Hasura-User-Id and X-Hasura-Role without a token", map[string]string{"X-Hasura-User-Id": ann.User.ID, "X-Hasura-Role": "user"},
			`{"errors":[{"extensions":{"code":"validation-failed","path":"$.selectionSet.notes"},"message":"field 'notes' not found in type: 'query_root'"}]}`},
		{"X-Hasura-Role admin without a token", map[string]string{"X-Hasura-Role": "admin", "X-Hasura-User-Id": ann.User.ID},
			`{"errors":[{"extensions":{"code":"validation-failed","path":"$.selectionSet.notes"},"message":"field 'notes' not found in type: 'query_root'"}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var st int
			var body string
			if c.name == "two tokens" {
				st, body = postMulti(t, srv.URL+"/v1/graphql", "Authorization", []string{"Bearer " + valid, "Bearer " + valid}, `{"query":"`+notesQuery+`"}`)
			} else {
				st, body = post(t, srv.URL+"/v1/graphql", c.header, `{"query":"`+notesQuery+`"}`)
			}
			if st != 200 {
				t.Fatalf("status %d (Hasura answers 200 for every GraphQL error): %s", st, body)
			}
			if got, want := compact(t, body), compact(t, c.want); got != want {
				t.Fatalf("\n got %s\nwant %s", got, want)
			}
		})
	}
}

// TestRS256EngineRefusesHS256Tokens runs the backend with an RS256 key
// pair: its own tokens work, while HS256 tokens are refused, including the
// key-confusion attack (HMAC keyed with the public key's PEM, which an
// attacker can read from /.well-known/jwks.json).
func TestRS256EngineRefusesHS256Tokens(t *testing.T) {
	t.Parallel()
	secret, publicPEM := rsaSecret(t)
	srv := mustBackendJWT(t, secret)
	ann := mustSignUp(t, srv.URL, "ann@example.com")
	gql(t, srv.URL, bearer(ann), `mutation { insert_notes_one(object: {title: "ann's secret"}) { id } }`)
	claims := hasuraClaims(ann.User.ID, time.Now().Add(time.Hour))

	cases := []struct{ name, token, want string }{
		{"control: the auth server's RS256 token", ann.AccessToken, `{"data":{"notes":[{"title":"ann's secret"}]}}`},
		{"HS256 keyed with the public key", mustSignWith(t, jwt.SigningMethodHS256, publicPEM, claims), hasuraError("invalid-jwt", sigInvalid)},
		{"HS256 with another secret", mustSignWith(t, jwt.SigningMethodHS256, []byte(hsKey), claims), hasuraError("invalid-jwt", sigInvalid)},
		{"alg none", mustSignWith(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims), hasuraError("invalid-jwt", sigInvalid)},
		{"tampered claims", tamper(t, ann.AccessToken, func(mc jwt.MapClaims) {
			mc[hasurajwt.DefaultNamespace].(map[string]any)["x-hasura-default-role"] = "admin"
			mc[hasurajwt.DefaultNamespace].(map[string]any)["x-hasura-allowed-roles"] = []any{"admin"}
		}), hasuraError("invalid-jwt", sigInvalid)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := gql(t, srv.URL, map[string]string{"Authorization": "Bearer " + c.token}, notesQuery)
			if want := compact(t, c.want); got != want {
				t.Fatalf("\n got %s\nwant %s", got, want)
			}
		})
	}
}

// postMulti posts body with several values of one header.
func postMulti(t *testing.T, url, key string, values []string, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for _, v := range values {
		req.Header.Add(key, v)
	}
	return send(t, req)
}

// TestReusedRefreshTokenIsRefusedAndDoesNotExtend: once a refresh token
// has rotated, presenting the old one is refused with the contract's
// invalid-refresh-token, creates no session and leaves the stored expiry
// of the rotated session as it was. As in Nhost, the reuse does not
// revoke the current token of the session (reference nhost-auth.md §7:
// two tabs refreshing at once is the normal cause of a reuse).
func TestReusedRefreshTokenIsRefusedAndDoesNotExtend(t *testing.T) {
	t.Parallel()
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			srv := mustBackend(t, d.URL(t), nil)
			s := mustSignUp(t, srv.URL, "rot@example.com")
			st, body := post(t, srv.URL+"/v1/auth/token", nil, `{"refreshToken":"`+s.RefreshToken+`"}`)
			var next session
			if st != 200 || json.Unmarshal([]byte(body), &next) != nil || next.RefreshToken == "" || next.RefreshToken == s.RefreshToken {
				t.Fatalf("rotation: %d %s", st, body)
			}
			admin := map[string]string{"X-Hasura-Admin-Secret": adminSecret}
			rows := `{ authRefreshTokens(order_by: {createdAt: asc}) { id expiresAt userId } }`
			before := gql(t, srv.URL, admin, rows)
			if !strings.Contains(before, `"authRefreshTokens":[{"expiresAt":`) {
				t.Fatalf("sessions: %s", before)
			}

			for range 3 {
				st, body = post(t, srv.URL+"/v1/auth/token", nil, `{"refreshToken":"`+s.RefreshToken+`"}`)
				if st != 401 || compact(t, body) != compact(t, `{"status":401,"error":"invalid-refresh-token","message":"Invalid or expired refresh token"}`) {
					t.Fatalf("reused token: %d %s", st, body)
				}
			}
			if after := gql(t, srv.URL, admin, rows); after != before {
				t.Fatalf("a refused reuse changed the sessions:\nbefore %s\nafter  %s", before, after)
			}
			if st, body := post(t, srv.URL+"/v1/auth/token", nil, `{"refreshToken":"`+next.RefreshToken+`"}`); st != 200 {
				t.Fatalf("the current token after a reuse: %d %s", st, body)
			}
		})
	}
}

// TestPublicPermissionsTrustNoHeaders: requests of the unauthorized role
// (public) take their x-hasura-* session variables from request headers,
// which anyone can set (hasura.md §7), so no public permission of the
// project's metadata may read one: a filter on X-Hasura-User-Id there
// would let a visitor pick whose rows to read.
func TestPublicPermissionsTrustNoHeaders(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(testenv.RepoRoot(t), "nhost", "metadata", "databases", "default", "tables")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no table metadata in %s: %v", dir, err)
	}
	publicPerms := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var table map[string]any
		if filepath.Base(f) == "tables.yaml" {
			continue // the !include list
		}
		if err := yaml.Unmarshal(raw, &table); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, kind := range []string{"select_permissions", "insert_permissions", "update_permissions", "delete_permissions"} {
			perms, _ := table[kind].([]any)
			for _, p := range perms {
				perm, _ := p.(map[string]any)
				if perm["role"] != "public" {
					continue
				}
				publicPerms++
				b, _ := json.Marshal(perm["permission"])
				if strings.Contains(strings.ToLower(string(b)), "x-hasura-") {
					t.Errorf("%s: %s for role public reads a session variable, which a visitor sets: %s", filepath.Base(f), kind, b)
				}
			}
		}
	}
	if publicPerms == 0 {
		t.Fatal("no public permissions found: the scan read nothing")
	}
}

// TestAuthAPIRefusesForgedTokens: the auth server verifies bearer tokens
// as strictly as the engine: GET /user and POST /token/verify refuse alg
// none, another key, another algorithm, tampered claims and an expired
// token with the contract's 401 (nhost-auth.md: unauthorized, BearerAuth),
// and return nothing of the user.
func TestAuthAPIRefusesForgedTokens(t *testing.T) {
	t.Parallel()
	srv := mustBackendJWT(t, `{"type":"HS256","key":"`+hsKey+`","allowed_skew":60}`)
	ann := mustSignUp(t, srv.URL, "ann@example.com")
	key := []byte(hsKey)
	claims := func() jwt.MapClaims { return hasuraClaims(ann.User.ID, time.Now().Add(time.Hour)) }
	rsSecret, _ := rsaSecret(t)
	rs, err := hasurajwt.Parse(rsSecret)
	if err != nil {
		t.Fatal(err)
	}
	rsToken, err := rs.Sign(claims())
	if err != nil {
		t.Fatal(err)
	}
	expired := claims()
	expired["exp"] = time.Now().Add(-securitySkew - time.Minute).Unix()
	forged := map[string]string{
		"alg none":        mustSignWith(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims()),
		"wrong key":       mustSignWith(t, jwt.SigningMethodHS256, []byte(strings.Repeat("k", 40)), claims()),
		"RS256":           rsToken,
		"tampered claims": tamper(t, ann.AccessToken, func(mc jwt.MapClaims) { mc["sub"] = "00000000-0000-4000-8000-000000000000" }),
		"expired":         mustSignWith(t, jwt.SigningMethodHS256, key, expired),
		"garbage":         "garbage",
	}
	if st, body := get(t, srv.URL+"/v1/auth/user", bearer(ann)); st != 200 || !strings.Contains(body, ann.User.ID) {
		t.Fatalf("control: GET /user with the real token: %d %s", st, body)
	}
	for name, tok := range forged {
		t.Run(name, func(t *testing.T) {
			h := map[string]string{"Authorization": "Bearer " + tok}
			for _, c := range []struct {
				method, path, body string
			}{{"GET", "/v1/auth/user", ""}, {"POST", "/v1/auth/token/verify", `{"token":"` + tok + `"}`}, {"POST", "/v1/auth/token/verify", `{}`}} {
				var st int
				var body string
				if c.method == "GET" {
					st, body = get(t, srv.URL+c.path, h)
				} else {
					st, body = post(t, srv.URL+c.path, h, c.body)
				}
				var m map[string]any
				json.Unmarshal([]byte(body), &m)
				if st != 401 || m["error"] != "unauthorized" || m["securityScheme"] != "BearerAuth" || strings.Contains(body, ann.User.ID) {
					t.Errorf("%s %s %s: %d %s", c.method, c.path, c.body, st, body)
				}
			}
		})
	}
}

func get(t *testing.T, url string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return send(t, req)
}
