package auth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// HasuraClaimsKey is the JWT claim that holds the Hasura session variables.
const HasuraClaimsKey = "https://hasura.io/jwt/claims"

// Claims is the decoded payload of an access token. The signature is not
// checked here: the GraphQL engine and the auth service do that; the app
// reads the claims only to show them and to know when to refresh.
type Claims struct {
	Subject   string         `json:"sub"`
	Issuer    string         `json:"iss"`
	IssuedAt  int64          `json:"iat"`
	ExpiresAt int64          `json:"exp"`
	Hasura    map[string]any `json:"https://hasura.io/jwt/claims"`
	// Raw holds every claim of the payload, Header the JOSE header.
	Raw    map[string]any `json:"-"`
	Header map[string]any `json:"-"`
}

// ParseClaims decodes the payload of a JWT without verifying it.
func ParseClaims(token string) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, errors.New("parse claims: not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}, fmt.Errorf("parse claims: %w", err)
	}
	var c Claims
	if err := json.Unmarshal(b, &c); err != nil {
		return Claims{}, fmt.Errorf("parse claims: %w", err)
	}
	if err := json.Unmarshal(b, &c.Raw); err != nil {
		return Claims{}, fmt.Errorf("parse claims: %w", err)
	}
	if h, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "=")); err == nil {
		_ = json.Unmarshal(h, &c.Header)
	}
	return c, nil
}

// DefaultRole returns x-hasura-default-role.
func (c Claims) DefaultRole() string {
	s, _ := c.Hasura["x-hasura-default-role"].(string)
	return s
}

// AllowedRoles returns x-hasura-allowed-roles. Both a JSON array and the
// Postgres array string "{a,b}" are accepted.
func (c Claims) AllowedRoles() []string {
	switch v := c.Hasura["x-hasura-allowed-roles"].(type) {
	case []any:
		out := make([]string, 0, len(v))
		for _, r := range v {
			if s, ok := r.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case string:
		v = strings.Trim(v, "{}")
		if v == "" {
			return nil
		}
		return strings.Split(v, ",")
	}
	return nil
}

// Expiry returns the exp claim as a time.
func (c Claims) Expiry() time.Time { return time.Unix(c.ExpiresAt, 0) }

func tokenExpiry(token string) (time.Time, error) {
	c, err := ParseClaims(token)
	if err != nil {
		return time.Time{}, err
	}
	if c.ExpiresAt == 0 {
		return time.Time{}, errors.New("token has no exp")
	}
	return c.Expiry(), nil
}
