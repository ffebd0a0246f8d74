package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/loadgen"
)

// benchMillis converts a duration to milliseconds for b.ReportMetric.
func benchMillis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// mustPrepareUser signs one user up through the app's forms (the app must
// not require a verified email) and gives them notes notes.
func mustPrepareUser(t testing.TB, base, prefix string, notes int) *loadgen.User {
	t.Helper()
	ctx := context.Background()
	users, err := loadgen.Prepare(ctx, loadgen.Config{Targets: []string{base}}, loadgen.UsersFor(prefix, 1))
	if err != nil {
		t.Fatal(err)
	}
	u := users[0]
	for i := range notes {
		title := fmt.Sprintf("Note %02d", i)
		if _, err := u.CreateNote(ctx, base, title, fmt.Sprintf("The text of note %d, a few words long, as notes in a list are.", i)); err != nil {
			t.Fatal(err)
		}
	}
	mustPage(t, u, base, "/notes") // takes the flash, so the cookie stops changing
	return u
}

// mustPage returns the body of a 200 answer to GET path.
func mustPage(t testing.TB, u *loadgen.User, base, path string) []byte {
	t.Helper()
	r, err := u.Get(context.Background(), base, path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s%s: %s", base, path, r)
	}
	return r.Body
}

// pageOK gets path and wants a 200.
func pageOK(ctx context.Context, u *loadgen.User, base, path string) error {
	r, err := u.Get(ctx, base, path)
	if err != nil {
		return err
	}
	if r.Status != http.StatusOK {
		return fmt.Errorf("GET %s%s: %s", base, path, r)
	}
	return nil
}

type apiSession struct {
	Session *struct {
		AccessToken string `json:"accessToken"`
	} `json:"session"`
}

// mustAPISignIn signs in through the auth API and returns the access token.
func mustAPISignIn(t testing.TB, base, email, password string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	res, err := http.Post(base+"/v1/auth/signin/email-password", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var p apiSession
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil || p.Session == nil {
		t.Fatalf("sign-in: status %d, %v", res.StatusCode, err)
	}
	return p.Session.AccessToken
}

// mustGetBody returns the body of a 200 answer to GET url.
func mustGetBody(t testing.TB, hc *http.Client, url string) []byte {
	t.Helper()
	res, err := hc.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, res.StatusCode, err)
	}
	return body
}
