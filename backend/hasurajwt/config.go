// Package hasurajwt is the JWT contract the embedded auth server and GraphQL
// engine share: the HASURA_GRAPHQL_JWT_SECRET configuration, signing access
// tokens, and verifying them into Hasura session claims with Hasura's own
// error codes and messages.
package hasurajwt

import (
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultNamespace is where Hasura looks for its claims unless configured.
const DefaultNamespace = "https://hasura.io/jwt/claims"

// Config is a parsed HASURA_GRAPHQL_JWT_SECRET.
type Config struct {
	// Type is the algorithm, e.g. HS256 or RS256.
	Type string
	// ClaimsNamespace is the top-level claim that holds the Hasura claims.
	ClaimsNamespace string
	// ClaimsNamespacePath is a JSON path ($.a.b) used instead of the namespace.
	ClaimsNamespacePath string
	// StringifiedClaims is true when claims_format is stringified_json.
	StringifiedClaims bool
	// Issuer, when set, must equal the token's iss; the auth server signs with it.
	Issuer string
	// Audience, when set, must contain the token's aud.
	Audience []string
	// AllowedSkew is the leeway for exp and nbf.
	AllowedSkew time.Duration
	// Kid is the key id written into token headers and the JWKS.
	Kid string
	// Header says where the engine finds the token: "Authorization" (default),
	// "Cookie" or "CustomHeader", with HeaderName for the latter two.
	Header, HeaderName string

	method  jwt.SigningMethod
	verify  any // []byte for HMAC, a public key otherwise
	signing any // []byte for HMAC, a private key otherwise; nil if this side cannot sign
}

type rawConfig struct {
	Type                string          `json:"type"`
	Key                 string          `json:"key"`
	SigningKey          string          `json:"signing_key"`
	Kid                 string          `json:"kid"`
	JWKURL              string          `json:"jwk_url"`
	ClaimsNamespace     string          `json:"claims_namespace"`
	ClaimsNamespacePath string          `json:"claims_namespace_path"`
	ClaimsFormat        string          `json:"claims_format"`
	Audience            json.RawMessage `json:"audience"`
	Issuer              string          `json:"issuer"`
	AllowedSkew         *float64        `json:"allowed_skew"`
	Header              *struct {
		Type string `json:"type"`
		Name string `json:"name"`
	} `json:"header"`
}

// Parse reads a HASURA_GRAPHQL_JWT_SECRET value. It reports every problem in
// Hasura's words where Hasura has them.
func Parse(raw string) (*Config, error) {
	var rc rawConfig
	dec := json.NewDecoder(strings.NewReader(raw))
	if err := dec.Decode(&rc); err != nil {
		return nil, fmt.Errorf("HASURA_GRAPHQL_JWT_SECRET: not a JSON object: %w", err)
	}
	switch {
	case rc.JWKURL != "" && rc.Key != "":
		return nil, errors.New("HASURA_GRAPHQL_JWT_SECRET: key, jwk_url both cannot be present")
	case rc.JWKURL != "":
		return nil, errors.New("HASURA_GRAPHQL_JWT_SECRET: jwk_url is not supported by the embedded engine; give type and key")
	case rc.Key == "":
		return nil, errors.New("HASURA_GRAPHQL_JWT_SECRET: key and jwk_url both cannot be empty")
	}
	if rc.ClaimsNamespace != "" && rc.ClaimsNamespacePath != "" {
		return nil, errors.New("HASURA_GRAPHQL_JWT_SECRET: claims_namespace and claims_namespace_path both cannot be set")
	}
	c := &Config{
		Type:                rc.Type,
		ClaimsNamespace:     rc.ClaimsNamespace,
		ClaimsNamespacePath: rc.ClaimsNamespacePath,
		Issuer:              rc.Issuer,
		Kid:                 rc.Kid,
		Header:              "Authorization",
	}
	if c.ClaimsNamespace == "" && c.ClaimsNamespacePath == "" {
		c.ClaimsNamespace = DefaultNamespace
	}
	switch rc.ClaimsFormat {
	case "", "json":
	case "stringified_json":
		c.StringifiedClaims = true
	default:
		return nil, fmt.Errorf("HASURA_GRAPHQL_JWT_SECRET: claims_format must be json or stringified_json, not %q", rc.ClaimsFormat)
	}
	if rc.AllowedSkew != nil {
		if *rc.AllowedSkew < 0 {
			return nil, errors.New("HASURA_GRAPHQL_JWT_SECRET: allowed_skew must not be negative")
		}
		c.AllowedSkew = time.Duration(*rc.AllowedSkew * float64(time.Second))
	}
	if rc.Header != nil {
		switch rc.Header.Type {
		case "Authorization":
		case "Cookie", "CustomHeader":
			if rc.Header.Name == "" {
				return nil, fmt.Errorf("HASURA_GRAPHQL_JWT_SECRET: header type %s needs a name", rc.Header.Type)
			}
			c.Header, c.HeaderName = rc.Header.Type, rc.Header.Name
		default:
			return nil, fmt.Errorf("HASURA_GRAPHQL_JWT_SECRET: unknown header type %q", rc.Header.Type)
		}
	}
	aud, err := parseAudience(rc.Audience)
	if err != nil {
		return nil, err
	}
	c.Audience = aud
	if err := c.loadKeys(rc.Key, rc.SigningKey); err != nil {
		return nil, fmt.Errorf("HASURA_GRAPHQL_JWT_SECRET: %w", err)
	}
	return c, nil
}

func parseAudience(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, errors.New("HASURA_GRAPHQL_JWT_SECRET: audience must be a string or a list of strings")
	}
	return many, nil
}

func (c *Config) loadKeys(key, signingKey string) error {
	switch c.Type {
	case "HS256", "HS384", "HS512":
		c.method = jwt.GetSigningMethod(c.Type)
		min := map[string]int{"HS256": 32, "HS384": 48, "HS512": 64}[c.Type]
		if len(key) < min {
			return fmt.Errorf("the %s key must be at least %d characters long", c.Type, min)
		}
		c.verify, c.signing = []byte(key), []byte(key)
		return nil
	case "RS256", "RS384", "RS512":
		c.method = jwt.GetSigningMethod(c.Type)
		pub, err := jwt.ParseRSAPublicKeyFromPEM([]byte(key))
		if err != nil {
			return fmt.Errorf("key: %w", err)
		}
		c.verify = pub
		if signingKey != "" {
			priv, err := jwt.ParseRSAPrivateKeyFromPEM([]byte(signingKey))
			if err != nil {
				return fmt.Errorf("signing_key: %w", err)
			}
			if !priv.PublicKey.Equal(pub) {
				return errors.New("signing_key does not match key")
			}
			c.signing = priv
		}
		return nil
	case "ES256", "ES384", "ES512":
		c.method = jwt.GetSigningMethod(c.Type)
		pub, err := jwt.ParseECPublicKeyFromPEM([]byte(key))
		if err != nil {
			return fmt.Errorf("key: %w", err)
		}
		c.verify = pub
		if signingKey != "" {
			priv, err := jwt.ParseECPrivateKeyFromPEM([]byte(signingKey))
			if err != nil {
				return fmt.Errorf("signing_key: %w", err)
			}
			c.signing = priv
		}
		return nil
	case "Ed25519":
		c.method = jwt.SigningMethodEdDSA
		pub, err := jwt.ParseEdPublicKeyFromPEM([]byte(key))
		if err != nil {
			return fmt.Errorf("key: %w", err)
		}
		c.verify = pub
		if signingKey != "" {
			priv, err := jwt.ParseEdPrivateKeyFromPEM([]byte(signingKey))
			if err != nil {
				return fmt.Errorf("signing_key: %w", err)
			}
			c.signing = priv
		}
		return nil
	case "":
		return errors.New("type is required with key")
	}
	return fmt.Errorf("unsupported type %q", c.Type)
}

// CanSign reports whether the configuration holds a private or shared key.
func (c *Config) CanSign() bool { return c.signing != nil }

// Sign signs claims with the configured algorithm and key, writing kid into
// the header when configured.
func (c *Config) Sign(claims jwt.MapClaims) (string, error) {
	if c.signing == nil {
		return "", errors.New("sign token: the JWT secret has no signing_key")
	}
	t := jwt.NewWithClaims(c.method, claims)
	if c.Kid != "" {
		t.Header["kid"] = c.Kid
	}
	s, err := t.SignedString(c.signing)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}

// PublicKey returns the verification key of an asymmetric configuration, or
// nil for HMAC.
func (c *Config) PublicKey() crypto.PublicKey {
	if _, ok := c.verify.([]byte); ok {
		return nil
	}
	return c.verify
}
