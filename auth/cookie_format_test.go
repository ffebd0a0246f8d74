package auth_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/sessions"

	"github.com/notes-app/notes/auth"
)

// TestGobCookieStillLoads: a cookie written in securecookie's gob format,
// as the store wrote them before its own format, loads with the same keys.
func TestGobCookieStillLoads(t *testing.T) {
	hash, block := []byte(strings.Repeat("h", 32)), []byte(strings.Repeat("b", 32))
	old := sessions.NewCookieStore(hash, block)
	in := auth.State{AccessToken: "a.b.c", RefreshToken: "r", UserID: "u1", Roles: []string{"user"}, CSRF: "t"}
	raw, _ := json.Marshal(in)
	sess := sessions.NewSession(old, auth.CookieName)
	sess.Values["s"] = raw
	rec := httptest.NewRecorder()
	if err := old.Save(httptest.NewRequest("GET", "/", nil), rec, sess); err != nil {
		t.Fatal(err)
	}
	st, err := auth.NewStore(hash, block, false)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(rec.Result().Cookies()[0])
	if got := st.Load(r); got.UserID != "u1" || got.RefreshToken != "r" || got.CSRF != "t" {
		t.Fatalf("gob cookie loaded as %+v", got)
	}
}
