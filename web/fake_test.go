package web_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeBackend speaks just enough of the Nhost auth API and Hasura's
// GraphQL to drive the handlers. End-to-end tests use the real backend.
type fakeBackend struct {
	t     *testing.T
	mu    sync.Mutex
	down  bool
	notes map[string]fakeNote
	seq   int
	exp   time.Duration
}

type fakeNote struct {
	ID, UserID, Title, Content string
	IsPublic                   bool
}

func newFakeBackend(t *testing.T) *fakeBackend {
	return &fakeBackend{t: t, notes: map[string]fakeNote{}, exp: 15 * time.Minute}
}

func fakeJWT(user string, exp time.Time) string {
	payload := fmt.Sprintf(`{"sub":%q,"exp":%d,"https://hasura.io/jwt/claims":{"x-hasura-default-role":"user","x-hasura-allowed-roles":["user","me"],"x-hasura-user-id":%q}}`, user, exp.Unix(), user)
	return "e30." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".sig"
}

func (f *fakeBackend) session(user string) map[string]any {
	return map[string]any{
		"accessToken": fakeJWT(user, time.Now().Add(f.exp)), "accessTokenExpiresIn": int(f.exp.Seconds()),
		"refreshToken": "rt-" + user,
		"user":         map[string]any{"id": user, "email": user + "@example.com", "displayName": user, "defaultRole": "user", "roles": []string{"user", "me"}},
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func authErr(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]any{"status": status, "message": code, "error": code})
}

func (f *fakeBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		http.Error(w, "down", http.StatusBadGateway)
		return
	}
	var in map[string]any
	_ = json.NewDecoder(r.Body).Decode(&in)
	str := func(k string) string { s, _ := in[k].(string); return s }
	switch strings.TrimPrefix(r.URL.Path, "/v1/auth") {
	case "/signin/email-password":
		switch {
		case strings.HasPrefix(str("email"), "flood"):
			authErr(w, 429, "too-many-requests")
		case str("password") != "password1":
			authErr(w, 401, "invalid-email-password")
		case strings.HasPrefix(str("email"), "unverified"):
			authErr(w, 401, "unverified-user")
		default:
			writeJSON(w, 200, map[string]any{"session": f.session(strings.Split(str("email"), "@")[0])})
		}
	case "/signup/email-password":
		if strings.HasPrefix(str("email"), "taken") {
			authErr(w, 409, "email-already-in-use")
			return
		}
		writeJSON(w, 200, map[string]any{})
	case "/token":
		rt := str("refreshToken")
		if !strings.HasPrefix(rt, "rt-") || rt == "rt-dead" {
			authErr(w, 401, "invalid-refresh-token")
			return
		}
		writeJSON(w, 200, f.session(strings.TrimPrefix(rt, "rt-")))
	case "/signin/passwordless/sms/otp":
		if str("otp") != "123456" {
			authErr(w, 400, "invalid-otp")
			return
		}
		writeJSON(w, 200, map[string]any{"session": f.session("phone")})
	case "/signout", "/user/email/send-verification-email", "/signin/passwordless/email", "/signin/passwordless/sms":
		writeJSON(w, 200, "OK")
	case "/dev/outbox":
		if r.Header.Get("X-Hasura-Admin-Secret") != "admin-secret" {
			authErr(w, 401, "unauthorized")
			return
		}
		writeJSON(w, 200, []map[string]any{{"kind": "email", "to": "a@example.com", "subject": "Verify your email",
			"text": "Open the link to verify.", "link": "http://127.0.0.1/v1/auth/verify?ticket=verifyEmail%3Ax",
			"createdAt": time.Now()}})
	case "/v1/graphql":
		f.graphql(w, r, in)
	default:
		http.NotFound(w, r)
	}
}
