package authserver

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

func TestSignInEmailPassword(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{})
		e.signUp("eve@example.com")
		t.Run("session and claims", func(t *testing.T) {
			s := wantSession(t, e.post("/signin/email-password", map[string]any{"email": "Eve@Example.com ", "password": testPassword}))
			claims := decodeClaims(t, s["accessToken"].(string))
			u := s["user"].(map[string]any)
			ns := claims["https://hasura.io/jwt/claims"].(map[string]any)
			if claims["sub"] != u["id"] || claims["iss"] != "hasura-auth" || claims["exp"].(float64)-claims["iat"].(float64) != 900 {
				t.Fatalf("claims %v", claims)
			}
			for _, k := range []string{"aud", "nbf", "jti"} {
				if _, ok := claims[k]; ok {
					t.Fatalf("unexpected claim %s", k)
				}
			}
			if ns["x-hasura-user-id"] != u["id"] || ns["x-hasura-default-role"] != "user" || ns["x-hasura-user-is-anonymous"] != "false" {
				t.Fatalf("hasura claims %v", ns)
			}
			roles, ok := ns["x-hasura-allowed-roles"].([]any)
			if !ok || len(roles) != 2 {
				t.Fatalf("x-hasura-allowed-roles must be a JSON array of 2: %v", ns["x-hasura-allowed-roles"])
			}
			hc, err := e.srv.jwt.Verify(s["accessToken"].(string), e.clock.Now())
			if err != nil {
				t.Fatalf("token does not verify with the shared JWT contract: %v", err)
			}
			if hc.Subject != u["id"] || hc.DefaultRole != "user" || len(hc.AllowedRoles) != 2 ||
				hc.Vars["x-hasura-user-id"] != u["id"] || hc.Vars["x-hasura-user-is-anonymous"] != "false" {
				t.Fatalf("engine-side claims %+v", hc)
			}
		})
		cases := []struct {
			name   string
			body   any
			status int
			code   string
		}{
			{"wrong password", map[string]any{"email": "eve@example.com", "password": "wrong-password"}, 401, "invalid-email-password"},
			{"unknown email", map[string]any{"email": "nobody@example.com", "password": testPassword}, 401, "invalid-email-password"},
			{"missing password", map[string]any{"email": "eve@example.com"}, 400, "invalid-request"},
			{"bad email", map[string]any{"email": "eve", "password": testPassword}, 400, "invalid-request"},
			{"wrong type", map[string]any{"email": "eve@example.com", "password": true}, 400, "invalid-request"},
			{"not JSON", "email=eve", 400, "invalid-request"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { wantError(t, e.post("/signin/email-password", c.body), c.status, c.code) })
		}
		t.Run("disabled user", func(t *testing.T) {
			if _, err := e.db.Exec(e.srv.d.q(`UPDATE {users} SET disabled = true WHERE email = $1`), "eve@example.com"); err != nil {
				t.Fatal(err)
			}
			wantError(t, e.post("/signin/email-password", map[string]any{"email": "eve@example.com", "password": testPassword}), 401, "disabled-user")
		})
	})
}

func TestHashFromNhostVerifies(t *testing.T) {
	t.Parallel()
	// A bcrypt hash made by pgcrypto's crypt(..., gen_salt('bf', 10)), as
	// found in a real Nhost database.
	h := newHasher(1, 1)
	hash := "$2a$10$t8BVasfREKyPZQX4MSC2AeIqQLZFg0c7ngRCTcAwx.EcB1Nvj5Fkm"
	if ok, _ := h.matches(t.Context(), hash, "nhost-password"); !ok {
		t.Fatal("Nhost hash does not verify")
	}
	if ok, _ := h.matches(t.Context(), hash, "not-the-password"); ok {
		t.Fatal("wrong password matched")
	}
	got, err := h.hash(t.Context(), "secret-password")
	if err != nil || !strings.HasPrefix(got, "$2a$10$") {
		t.Fatalf("hash %q (%v), want cost 10", got, err)
	}
}

func decodeClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %s", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
