package auth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/notes-app/notes/auth"
)

// mustJWT builds an unsigned-looking JWT whose payload carries exp and Hasura claims.
func mustJWT(t *testing.T, exp time.Time) string {
	t.Helper()
	payload := fmt.Sprintf(`{"sub":"u1","exp":%d,"https://hasura.io/jwt/claims":{"x-hasura-default-role":"user","x-hasura-allowed-roles":["user","me"],"x-hasura-user-id":"u1"}}`, exp.Unix())
	return "e30." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".sig"
}

func mustAuth(t *testing.T, h http.HandlerFunc) *auth.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return auth.New(srv.URL+"/v1/", srv.Client())
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   error
	}{
		{401, `{"status":401,"message":"Incorrect email or password","error":"invalid-email-password"}`, auth.ErrInvalidCredentials},
		{401, `{"status":401,"message":"User is not verified.","error":"unverified-user"}`, auth.ErrUnverified},
		{409, `{"status":409,"message":"Email already in use","error":"email-already-in-use"}`, auth.ErrConflict},
		{409, `{"status":409,"message":"User already exists","error":"user-already-exists"}`, auth.ErrConflict},
		{400, `{"status":400,"message":"Password is too short","error":"password-too-short"}`, auth.ErrInvalidInput},
		{429, `{"status":429,"message":"Too many requests","error":"too-many-requests"}`, auth.ErrRateLimited},
		{401, `{"error":"unauthorized","reason":"invalid or expired token"}`, auth.ErrUnauthenticated},
		{502, `bad gateway`, auth.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status, tt.want), func(t *testing.T) {
			c := mustAuth(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/v1/signin/email-password" {
					t.Errorf("path = %s", r.URL.Path)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			_, err := c.SignInEmailPassword(context.Background(), "a@b.c", "pw")
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSignUpNeedsVerification(t *testing.T) {
	c := mustAuth(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{}`)) })
	if _, err := c.SignUpEmailPassword(context.Background(), "a@b.c", "pw", auth.SignUpOptions{}); !errors.Is(err, auth.ErrUnverified) {
		t.Fatalf("err = %v", err)
	}
}

func TestEnsureRefreshes(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var calls atomic.Int32
	c := mustAuth(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fmt.Fprintf(w, `{"accessToken":%q,"accessTokenExpiresIn":900,"refreshToken":"rt2"}`, mustJWT(t, now.Add(15*time.Minute)))
	})
	var s auth.State
	s.SignIn(auth.Session{AccessToken: mustJWT(t, now.Add(30*time.Second)), RefreshToken: "rt1"}, now)
	if s.Role != "user" || s.UserID != "u1" || len(s.Roles) != 2 {
		t.Fatalf("state = %+v", s)
	}
	changed, err := c.Ensure(context.Background(), &s, now)
	if err != nil || !changed || s.RefreshToken != "rt2" || !s.ExpiresAt.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("changed=%v err=%v state=%+v", changed, err, s)
	}
	// A second request still carrying rt1 shares the result instead of racing.
	var old auth.State
	old.SignIn(auth.Session{AccessToken: mustJWT(t, now), RefreshToken: "rt1"}, now)
	if _, err := c.Ensure(context.Background(), &old, now.Add(time.Second)); err != nil || old.RefreshToken != "rt2" {
		t.Fatalf("shared refresh: err=%v state=%+v", err, old)
	}
	if calls.Load() != 1 {
		t.Fatalf("calls = %d", calls.Load())
	}
	if changed, _ := c.Ensure(context.Background(), &s, now); changed {
		t.Fatal("fresh token refreshed again")
	}
}

func TestSignOutEndsTheReuseWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	revoked := map[string]bool{}
	var mu sync.Mutex
	c := mustAuth(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var body struct{ RefreshToken string }
		_ = json.NewDecoder(r.Body).Decode(&body)
		switch {
		case r.URL.Path == "/signout":
			revoked[body.RefreshToken] = true
			w.WriteHeader(http.StatusOK)
		case body.RefreshToken == "rt1" && !revoked["rt1"]:
			revoked["rt1"] = true // rotated
			fmt.Fprintf(w, `{"accessToken":%q,"accessTokenExpiresIn":900,"refreshToken":"rt2"}`, mustJWT(t, now.Add(15*time.Minute)))
		default:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"status":401,"message":"Invalid or expired refresh token","error":"invalid-refresh-token"}`))
		}
	})
	var s auth.State
	s.SignIn(auth.Session{AccessToken: mustJWT(t, now), RefreshToken: "rt1"}, now)
	copied := s // a copy of the cookie taken before the refresh
	if _, err := c.Ensure(context.Background(), &s, now); err != nil || s.RefreshToken != "rt2" {
		t.Fatalf("refresh: err=%v state=%+v", err, s)
	}
	if err := c.SignOut(context.Background(), s.RefreshToken); err != nil {
		t.Fatal(err)
	}
	// Within the reuse window, the copy must not inherit the signed-out session.
	changed, err := c.Ensure(context.Background(), &copied, now.Add(time.Second))
	if !changed || !errors.Is(err, auth.ErrSessionExpired) || copied.SignedIn() {
		t.Fatalf("copied cookie after sign-out: changed=%v err=%v state=%+v", changed, err, copied)
	}
}

func TestEnsureDeadToken(t *testing.T) {
	now := time.Now()
	c := mustAuth(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"status":401,"message":"Invalid or expired refresh token","error":"invalid-refresh-token"}`))
	})
	var s auth.State
	s.SignIn(auth.Session{AccessToken: mustJWT(t, now.Add(30*time.Second)), RefreshToken: "dead"}, now)
	if changed, err := c.Ensure(context.Background(), &s, now); changed || err != nil || !s.SignedIn() {
		t.Fatalf("valid access token: changed=%v err=%v signed in=%v", changed, err, s.SignedIn())
	}
	changed, err := c.Ensure(context.Background(), &s, now.Add(31*time.Second))
	if !changed || !errors.Is(err, auth.ErrSessionExpired) || s.SignedIn() || s.CSRF == "" {
		t.Fatalf("changed=%v err=%v state=%+v", changed, err, s)
	}
}

func TestStoreRoundTrip(t *testing.T) {
	st, err := auth.NewStore(make([]byte, 32), make([]byte, 32), true)
	if err != nil {
		t.Fatal(err)
	}
	in := auth.State{AccessToken: "a", RefreshToken: "r", Email: "a@b.c", CSRF: "x"}
	rec := httptest.NewRecorder()
	if err := st.Save(rec, httptest.NewRequest("GET", "/", nil), in); err != nil {
		t.Fatal(err)
	}
	ck := rec.Result().Cookies()[0]
	if !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode {
		t.Fatalf("cookie = %+v", ck)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(ck)
	if got := st.Load(req); got.Email != "a@b.c" || got.RefreshToken != "r" {
		t.Fatalf("loaded = %+v", got)
	}
	bad := httptest.NewRequest("GET", "/", nil)
	bad.AddCookie(&http.Cookie{Name: auth.CookieName, Value: ck.Value + "x"})
	if got := st.Load(bad); got.SignedIn() {
		t.Fatal("tampered cookie accepted")
	}
}
