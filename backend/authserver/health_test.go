package authserver

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/notes-app/notes/backend/hasurajwt"
)

func TestHealthVersionJWKS(t *testing.T) {
	t.Parallel()
	e := mustEnv(t, sqliteURL, setup{})
	wantOK(t, e.get("/healthz"))
	if r := e.do(http.MethodHead, "/healthz", nil, nil); r.status != http.StatusOK {
		t.Fatalf("HEAD /healthz: %d", r.status)
	}
	if v := e.get("/version").json(t)["version"]; v != Version {
		t.Fatalf("version %v", v)
	}
	if r := e.get("/.well-known/jwks.json"); strings.TrimSpace(string(r.raw)) != `{"keys":[]}` {
		t.Fatalf("HS256 jwks: %s", r.raw)
	}
	r := e.do(http.MethodOptions, "/signin/email-password", nil, map[string]string{
		"Origin": "http://app.test", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
	if r.status != http.StatusNoContent || r.header.Get("Access-Control-Allow-Origin") != "http://app.test" ||
		r.header.Get("Access-Control-Allow-Credentials") != "true" || r.header.Get("Access-Control-Allow-Headers") != "content-type" {
		t.Fatalf("preflight: %d %v", r.status, r.header)
	}
}

func TestRS256(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	priv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	pubDER, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pub := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	secret, _ := json.Marshal(map[string]string{"type": "RS256", "key": string(pub), "signing_key": string(priv), "kid": "k1"})
	cfg, err := hasurajwt.Parse(string(secret))
	if err != nil {
		t.Fatal(err)
	}
	e := mustEnv(t, sqliteURL, setup{env: map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}, opts: func(o *Options) { o.JWT = cfg }})
	var jwks struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(e.get("/.well-known/jwks.json").raw, &jwks); err != nil || len(jwks.Keys) != 1 ||
		jwks.Keys[0]["kty"] != "RSA" || jwks.Keys[0]["kid"] != "k1" || jwks.Keys[0]["alg"] != "RS256" || jwks.Keys[0]["use"] != "sig" {
		t.Fatalf("jwks %+v (%v)", jwks, err)
	}
	s := e.signUp("rsa@example.com")
	if r := e.do(http.MethodGet, "/user", nil, bearer(s["accessToken"].(string))); r.status != http.StatusOK {
		t.Fatalf("RS256 token rejected: %d %s", r.status, r.raw)
	}
	t.Run("provider state survives an RS256 secret", func(t *testing.T) {
		key2, err := deriveStateKey(cfg)
		if err != nil || string(key2) != string(e.srv.stateKey) {
			t.Fatal("the state key must be derived deterministically from the secret")
		}
	})
}

func TestDevOutbox(t *testing.T) {
	t.Parallel()
	e := mustEnv(t, sqliteURL, setup{})
	wantOK(t, e.post("/signin/passwordless/email", map[string]any{"email": "o1@example.com"}))
	wantOK(t, e.post("/signin/passwordless/email", map[string]any{"email": "o2@example.com"}))
	for name, h := range map[string]map[string]string{"no secret": nil, "wrong secret": {"x-hasura-admin-secret": "nope"}} {
		t.Run(name, func(t *testing.T) {
			if r := e.do(http.MethodGet, "/dev/outbox", nil, h); r.status != http.StatusUnauthorized {
				t.Fatalf("got %d %s", r.status, r.raw)
			}
		})
	}
	all := e.outbox("")
	if len(all) != 2 || all[0].To != "o2@example.com" || all[1].To != "o1@example.com" {
		t.Fatalf("outbox must list newest first: %+v", all)
	}
	smtpOn := mustEnv(t, sqliteURL, setup{env: map[string]string{"SMTP_HOST": "127.0.0.1"}})
	if r := smtpOn.do(http.MethodGet, "/dev/outbox", nil, map[string]string{"x-hasura-admin-secret": testAdminSecret}); r.status != http.StatusNotFound {
		t.Fatalf("with SMTP the outbox does not exist: %d", r.status)
	}
}

func TestUnknownRoute(t *testing.T) {
	t.Parallel()
	e := mustEnv(t, sqliteURL, setup{})
	wantError(t, e.get("/no/such/route"), 404, "route-not-found")
}

func TestBaseURL(t *testing.T) {
	t.Parallel()
	s := &Server{}
	mounted := httptest.NewRequest(http.MethodGet, "http://app.test/v1/auth/verify?x=1", nil)
	stripped := http.StripPrefix("/v1/auth", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := s.baseURL(r); got != "http://app.test/v1/auth" {
			t.Errorf("mounted: %s", got)
		}
	}))
	stripped.ServeHTTP(httptest.NewRecorder(), mounted)
	inProcess, _ := http.NewRequest(http.MethodGet, "http://app.test/verify", nil)
	if got := s.baseURL(inProcess); got != "http://app.test/v1/auth" {
		t.Errorf("in-process: %s", got)
	}
	s.cfg.ServerURL = "https://auth.example.com/v1"
	if got := s.baseURL(inProcess); got != "https://auth.example.com/v1" {
		t.Errorf("configured: %s", got)
	}
}
