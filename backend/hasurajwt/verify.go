package hasurajwt

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Error is a token problem in Hasura's terms: the error code and message
// that /v1/graphql answers with (path "$").
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func invalidJWT(what string) *Error {
	return &Error{Code: "invalid-jwt", Message: "Could not verify JWT: " + what}
}

func invalidClaims(msg string) *Error { return &Error{Code: "jwt-invalid-claims", Message: msg} }

// Claims are the Hasura session facts a verified token carries.
type Claims struct {
	// Subject is the registered sub claim.
	Subject string
	// ExpiresAt is the exp claim; zero when absent.
	ExpiresAt time.Time
	// DefaultRole is x-hasura-default-role.
	DefaultRole string
	// AllowedRoles is x-hasura-allowed-roles.
	AllowedRoles []string
	// Vars holds every other x-hasura-* claim, names lowercased.
	Vars map[string]string
}

// Verify checks a token's signature, algorithm, expiry (with the configured
// skew), issuer and audience, then reads the Hasura claims. Every failure is
// an *Error carrying Hasura's code and message.
func (c *Config) Verify(token string, now time.Time) (*Claims, error) {
	if n := strings.Count(token, "."); n != 2 {
		return nil, invalidJWT(fmt.Sprintf("JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got %d)", n+1))
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{c.method.Alg()}),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithLeeway(c.AllowedSkew),
		jwt.WithExpirationRequired(),
	}
	if c.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(c.Issuer))
	}
	mc := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, mc, func(*jwt.Token) (any, error) { return c.verify, nil }, opts...)
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrTokenMalformed):
		return nil, invalidJWT("JWSError (CompactDecodeError " + err.Error() + ")")
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, invalidJWT("JWTExpired")
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return nil, invalidJWT("JWTNotYetValid")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return nil, invalidJWT("JWTNotInIssuer")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return nil, invalidJWT("JWTClaimsSetDecodeError \"exp\" claim is required")
	default:
		return nil, invalidJWT("JWSError JWSInvalidSignature")
	}
	if len(c.Audience) > 0 && !audienceMatches(mc, c.Audience) {
		return nil, invalidJWT("JWTNotInAudience")
	}
	return c.readClaims(mc)
}

func audienceMatches(mc jwt.MapClaims, want []string) bool {
	got, err := mc.GetAudience()
	if err != nil {
		return false
	}
	for _, g := range got {
		for _, w := range want {
			if g == w {
				return true
			}
		}
	}
	return false
}

func (c *Config) readClaims(mc jwt.MapClaims) (*Claims, error) {
	raw, err := c.namespace(mc)
	if err != nil {
		return nil, err
	}
	if c.StringifiedClaims {
		s, ok := raw.(string)
		if !ok {
			return nil, invalidClaims("expecting a string when claims_format is stringified_json")
		}
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return nil, invalidClaims("invalid JSON in stringified claims: " + err.Error())
		}
		raw = v
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, invalidClaims("expecting a json object when claims_format is json")
	}
	cl := &Claims{Vars: map[string]string{}}
	cl.Subject, _ = mc.GetSubject()
	if exp, err := mc.GetExpirationTime(); err == nil && exp != nil {
		cl.ExpiresAt = exp.Time
	}
	var haveAllowed, haveDefault bool
	for k, v := range obj {
		name := strings.ToLower(k)
		if !strings.HasPrefix(name, "x-hasura-") {
			continue
		}
		switch name {
		case "x-hasura-allowed-roles":
			roles, err := stringList(v)
			if err != nil {
				return nil, invalidClaims(`invalid "x-hasura-allowed-roles"; should be a list of roles: ` + err.Error())
			}
			cl.AllowedRoles, haveAllowed = roles, true
		case "x-hasura-default-role":
			s, ok := v.(string)
			if !ok {
				return nil, invalidClaims(`invalid "x-hasura-default-role"; should be a role: parsing Text failed, expected String, but encountered ` + jsonKind(v))
			}
			cl.DefaultRole, haveDefault = s, true
		default:
			s, ok := v.(string)
			if !ok {
				return nil, invalidClaims("x-hasura-* claims: parsing Text failed, expected String, but encountered " + jsonKind(v))
			}
			cl.Vars[name] = s
		}
	}
	if !haveAllowed {
		return nil, &Error{Code: "jwt-missing-role-claims", Message: `JWT claim does not contain "x-hasura-allowed-roles"`}
	}
	if !haveDefault {
		return nil, &Error{Code: "jwt-missing-role-claims", Message: `JWT claim does not contain "x-hasura-default-role"`}
	}
	return cl, nil
}

func (c *Config) namespace(mc jwt.MapClaims) (any, error) {
	if c.ClaimsNamespacePath == "" {
		v, ok := mc[c.ClaimsNamespace]
		if !ok {
			return nil, invalidClaims(fmt.Sprintf("claims key: '%s' not found", c.ClaimsNamespace))
		}
		return v, nil
	}
	var cur any = map[string]any(mc)
	path := strings.TrimPrefix(c.ClaimsNamespacePath, "$")
	for _, part := range strings.Split(strings.TrimPrefix(path, "."), ".") {
		if part == "" {
			continue
		}
		m, ok := cur.(map[string]any)
		if !ok {
			cur = nil
			break
		}
		if cur, ok = m[part]; !ok {
			break
		}
	}
	if cur == nil {
		return nil, invalidClaims(fmt.Sprintf("claims not found at claims_namespace_path: '%s'", c.ClaimsNamespacePath))
	}
	return cur, nil
}

func stringList(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("parsing [] failed, expected Array, but encountered %s", jsonKind(v))
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("parsing Text failed, expected String, but encountered %s", jsonKind(e))
		}
		out = append(out, s)
	}
	return out, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "String"
	case float64, json.Number:
		return "Number"
	case bool:
		return "Boolean"
	case []any:
		return "Array"
	case map[string]any:
		return "Object"
	case nil:
		return "Null"
	}
	return "Value"
}

// JWKS returns the JSON Web Key Set for /.well-known/jwks.json: the RSA
// public key when the configuration is RS*, else an empty set.
func (c *Config) JWKS() []byte {
	type jwk struct {
		Alg string `json:"alg"`
		E   string `json:"e"`
		Kid string `json:"kid,omitempty"`
		Kty string `json:"kty"`
		N   string `json:"n"`
		Use string `json:"use"`
	}
	keys := []jwk{}
	if pub, ok := c.verify.(*rsa.PublicKey); ok {
		keys = append(keys, jwk{
			Alg: c.Type,
			E:   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
			Kid: c.Kid,
			Kty: "RSA",
			N:   base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
			Use: "sig",
		})
	}
	b, _ := json.Marshal(map[string]any{"keys": keys})
	return b
}
