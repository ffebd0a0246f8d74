package auth_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/notes-app/notes/auth"
)

// FuzzSessionCookie feeds arbitrary Cookie headers to the session decoder:
// it never panics, and a value decodes either to the empty state (signed
// out) or, when it is a cookie the store wrote (same keys, in this or a
// seeding process), to exactly the state saved: never to anything else.
func FuzzSessionCookie(f *testing.F) {
	st, err := auth.NewStore([]byte(strings.Repeat("h", 32)), []byte(strings.Repeat("b", 32)), false)
	if err != nil {
		f.Fatal(err)
	}
	rec := httptest.NewRecorder()
	signedIn := auth.State{AccessToken: "a.b.c", RefreshToken: "r", UserID: "u1", Role: "user", Roles: []string{"user"}, CSRF: "t", ExpiresAt: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := st.Save(rec, httptest.NewRequest("GET", "/", nil), signedIn); err != nil {
		f.Fatal(err)
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != auth.CookieName {
		f.Fatalf("Save wrote %v", cookies)
	}
	valid := cookies[0].Value
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Cookie", auth.CookieName+"="+valid)
	if got := st.Load(r); !got.SignedIn() || got.UserID != "u1" {
		f.Fatalf("the store's own cookie loads as %+v", got)
	}

	want, _ := json.Marshal(signedIn)
	f.Add(valid[:len(valid)/2])
	f.Add(valid + "A")
	f.Add(strings.ToUpper(valid))
	f.Add("")
	f.Add("MTcwMDAwMDAwMHxhYmN8ZGVm")
	f.Add("||||")
	f.Add(`"quoted"`)
	f.Fuzz(func(t *testing.T, value string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Cookie", auth.CookieName+"="+value)
		got := st.Load(r)
		if reflect.DeepEqual(got, auth.State{}) {
			return
		}
		if raw, _ := json.Marshal(got); !bytes.Equal(raw, want) {
			t.Fatalf("cookie %q decoded to %+v, want signed out", value, got)
		}
	})
}

// TestTamperedCookieIsSignedOut flips every byte of a real cookie in turn:
// each variant loads as an empty state.
func TestTamperedCookieIsSignedOut(t *testing.T) {
	st, err := auth.NewStore([]byte(strings.Repeat("h", 32)), []byte(strings.Repeat("b", 32)), false)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	if err := st.Save(rec, httptest.NewRequest("GET", "/", nil), auth.State{AccessToken: "a", RefreshToken: "r", UserID: "u1"}); err != nil {
		t.Fatal(err)
	}
	valid := rec.Result().Cookies()[0].Value
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="
	for i := range len(valid) {
		b := []byte(valid)
		b[i] = alphabet[(strings.IndexByte(alphabet, b[i])+1)%len(alphabet)]
		if same(string(b), valid) {
			continue // only unused bits of the last base64 digit changed
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: auth.CookieName, Value: string(b)})
		if got := st.Load(r); !reflect.DeepEqual(got, auth.State{}) {
			t.Fatalf("byte %d changed: loaded %+v", i, got)
		}
	}
}

// same reports whether two base64url values decode to the same bytes.
func same(a, b string) bool {
	da, errA := base64.URLEncoding.DecodeString(a)
	db, errB := base64.URLEncoding.DecodeString(b)
	return errA == nil && errB == nil && bytes.Equal(da, db)
}
