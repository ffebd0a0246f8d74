package hasurajwt_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/notes-app/notes/backend/hasurajwt"
)

// FuzzVerify feeds arbitrary strings to token verification, the first
// thing /v1/graphql does with an Authorization header: never a panic, every
// refusal a *hasurajwt.Error with a Hasura code, and nothing but a token
// signed with the key is accepted.
func FuzzVerify(f *testing.F) {
	c, err := hasurajwt.Parse(`{"type":"HS256","key":"` + hsKey + `","allowed_skew":5}`)
	if err != nil {
		f.Fatal(err)
	}
	valid, err := c.Sign(userClaims(now.Add(time.Hour)))
	if err != nil {
		f.Fatal(err)
	}
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, userClaims(now.Add(time.Hour))).SignedString(jwt.UnsafeAllowNoneSignatureType)
	for _, s := range []string{valid, none, valid[:len(valid)-3], "a.b.c", "..", "", "e30.e30.", strings.Repeat(".", 50),
		"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.x", "eyJhbGciOiJIUzI1NiIsImtpZCI6Ii4uLy4uIn0.e30.e30"} {
		f.Add(s)
	}
	codes := []string{"invalid-jwt", "jwt-invalid-claims", "jwt-missing-role-claims"}
	f.Fuzz(func(t *testing.T, token string) {
		cl, err := c.Verify(token, now)
		if err == nil {
			if token != valid && cl.Subject != "u1" {
				t.Fatalf("accepted %q as %+v", token, cl)
			}
			return
		}
		var he *hasurajwt.Error
		if !errors.As(err, &he) || he.Message == "" || !contains(codes, he.Code) {
			t.Fatalf("%q: %v is not a Hasura JWT error", token, err)
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
