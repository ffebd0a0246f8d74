package hasurajwt_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/notes-app/notes/backend/hasurajwt"
)

const hsKey = "0123456789abcdef0123456789abcdef"

var now = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func mustParse(t *testing.T, raw string) *hasurajwt.Config {
	t.Helper()
	c, err := hasurajwt.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustSign(t *testing.T, c *hasurajwt.Config, claims jwt.MapClaims) string {
	t.Helper()
	s, err := c.Sign(claims)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func userClaims(exp time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"sub": "u1", "iat": now.Unix(), "exp": exp.Unix(),
		hasurajwt.DefaultNamespace: map[string]any{
			"x-hasura-user-id":           "u1",
			"x-hasura-default-role":      "user",
			"x-hasura-allowed-roles":     []string{"user", "me"},
			"X-Hasura-User-Is-Anonymous": "false",
		},
	}
}

func rsaConfig(t *testing.T) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	priv := x509.MarshalPKCS1PrivateKey(k)
	b, _ := json.Marshal(map[string]string{
		"type":        "RS256",
		"key":         string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
		"signing_key": string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: priv})),
		"kid":         "k1",
	})
	return string(b)
}

func TestVerifyAcceptsAndReadsClaims(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{`{"type":"HS256","key":"` + hsKey + `"}`, rsaConfig(t)} {
		c := mustParse(t, raw)
		cl, err := c.Verify(mustSign(t, c, userClaims(now.Add(time.Minute))), now)
		if err != nil {
			t.Fatalf("%s: %v", c.Type, err)
		}
		if cl.DefaultRole != "user" || strings.Join(cl.AllowedRoles, ",") != "user,me" || cl.Subject != "u1" {
			t.Fatalf("claims = %+v", cl)
		}
		if cl.Vars["x-hasura-user-id"] != "u1" || cl.Vars["x-hasura-user-is-anonymous"] != "false" {
			t.Fatalf("vars = %v", cl.Vars)
		}
		if _, ok := cl.Vars["x-hasura-allowed-roles"]; ok {
			t.Fatal("role list leaked into session variables")
		}
	}
}

func TestVerifyRefuses(t *testing.T) {
	t.Parallel()
	hs := mustParse(t, `{"type":"HS256","key":"`+hsKey+`","allowed_skew":5}`)
	other := mustParse(t, `{"type":"HS256","key":"`+strings.Repeat("x", 32)+`"}`)
	rs := mustParse(t, rsaConfig(t))
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, userClaims(now.Add(time.Hour))).SignedString(jwt.UnsafeAllowNoneSignatureType)
	noNS := userClaims(now.Add(time.Hour))
	delete(noNS, hasurajwt.DefaultNamespace)
	rolesString := userClaims(now.Add(time.Hour))
	rolesString[hasurajwt.DefaultNamespace].(map[string]any)["x-hasura-allowed-roles"] = "user"
	noDefault := userClaims(now.Add(time.Hour))
	delete(noDefault[hasurajwt.DefaultNamespace].(map[string]any), "x-hasura-default-role")
	numVar := userClaims(now.Add(time.Hour))
	numVar[hasurajwt.DefaultNamespace].(map[string]any)["x-hasura-org"] = 5
	noExp := userClaims(now)
	delete(noExp, "exp")

	cases := []struct {
		name, token, code, msg string
	}{
		{"expired beyond skew", mustSign(t, hs, userClaims(now.Add(-6*time.Second))), "invalid-jwt", "Could not verify JWT: JWTExpired"},
		{"wrong key", mustSign(t, other, userClaims(now.Add(time.Hour))), "invalid-jwt", "Could not verify JWT: JWSError JWSInvalidSignature"},
		{"alg none", none, "invalid-jwt", "Could not verify JWT: JWSError JWSInvalidSignature"},
		{"RS256 token against HS256 secret", mustSign(t, rs, userClaims(now.Add(time.Hour))), "invalid-jwt", "Could not verify JWT: JWSError JWSInvalidSignature"},
		{"not a JWT", "abc", "invalid-jwt", "Could not verify JWT: JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)"},
		{"no exp", mustSign(t, hs, noExp), "invalid-jwt", ""},
		{"no namespace", mustSign(t, hs, noNS), "jwt-invalid-claims", "claims key: 'https://hasura.io/jwt/claims' not found"},
		{"allowed roles not a list", mustSign(t, hs, rolesString), "jwt-invalid-claims", ""},
		{"no default role", mustSign(t, hs, noDefault), "jwt-missing-role-claims", `JWT claim does not contain "x-hasura-default-role"`},
		{"non-string claim", mustSign(t, hs, numVar), "jwt-invalid-claims", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := hs.Verify(c.token, now)
			var he *hasurajwt.Error
			if !asError(err, &he) {
				t.Fatalf("err = %v, want *hasurajwt.Error", err)
			}
			if he.Code != c.code || (c.msg != "" && he.Message != c.msg) {
				t.Fatalf("got %s %q, want %s %q", he.Code, he.Message, c.code, c.msg)
			}
		})
	}
	if _, err := hs.Verify(mustSign(t, hs, userClaims(now.Add(-4*time.Second))), now); err != nil {
		t.Fatalf("token within the allowed skew refused: %v", err)
	}
	if _, err := rs.Verify(mustSign(t, hs, userClaims(now.Add(time.Hour))), now); err == nil {
		t.Fatal("HS256 token accepted by an RS256 config")
	}
}

func asError(err error, target **hasurajwt.Error) bool {
	e, ok := err.(*hasurajwt.Error)
	if ok {
		*target = e
	}
	return ok
}

func TestParseRefusesBadConfigs(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		``, `[]`, `{"type":"HS256"}`, `{"type":"HS256","key":"short"}`,
		`{"type":"XX999","key":"` + hsKey + `"}`,
		`{"type":"HS256","key":"` + hsKey + `","jwk_url":"http://x"}`,
		`{"type":"HS256","key":"` + hsKey + `","claims_format":"yaml"}`,
	} {
		if _, err := hasurajwt.Parse(raw); err == nil {
			t.Errorf("Parse(%q) succeeded", raw)
		}
	}
}

func TestIssuerAudienceAndStringifiedClaims(t *testing.T) {
	t.Parallel()
	c := mustParse(t, `{"type":"HS256","key":"`+hsKey+`","issuer":"hasura-auth","audience":["notes"],"claims_format":"stringified_json"}`)
	cl := userClaims(now.Add(time.Hour))
	ns, _ := json.Marshal(cl[hasurajwt.DefaultNamespace])
	cl[hasurajwt.DefaultNamespace] = string(ns)
	cl["iss"], cl["aud"] = "hasura-auth", "notes"
	if _, err := c.Verify(mustSign(t, c, cl), now); err != nil {
		t.Fatal(err)
	}
	cl["aud"] = "other"
	if _, err := c.Verify(mustSign(t, c, cl), now); err == nil || !strings.Contains(err.Error(), "JWTNotInAudience") {
		t.Fatalf("err = %v, want JWTNotInAudience", err)
	}
	cl["aud"], cl["iss"] = "notes", "evil"
	if _, err := c.Verify(mustSign(t, c, cl), now); err == nil || !strings.Contains(err.Error(), "JWTNotInIssuer") {
		t.Fatalf("err = %v, want JWTNotInIssuer", err)
	}
}

func TestJWKS(t *testing.T) {
	t.Parallel()
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(mustParse(t, rsaConfig(t)).JWKS(), &set); err != nil || len(set.Keys) != 1 || set.Keys[0]["kid"] != "k1" || set.Keys[0]["kty"] != "RSA" {
		t.Fatalf("RS256 JWKS = %+v, %v", set, err)
	}
	if got := string(mustParse(t, `{"type":"HS256","key":"`+hsKey+`"}`).JWKS()); got != `{"keys":[]}` {
		t.Fatalf("HS256 JWKS = %s", got)
	}
}
