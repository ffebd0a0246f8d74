package auth_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/notes-app/notes/auth"
)

// TestClientIPForwarded: the end user's IP from the context reaches the
// auth service as X-Forwarded-For; a value that is not an IP never does.
func TestClientIPForwarded(t *testing.T) {
	var got []string
	c := mustAuth(t, func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("X-Forwarded-For"))
		_, _ = w.Write([]byte(`"OK"`))
	})
	for _, ip := range []string{"198.51.100.7", "::ffff:198.51.100.8", "1.2.3.4\r\nX-Evil: 1", ""} {
		ctx := auth.WithClientIP(context.Background(), ip)
		if err := c.SignInPasswordlessSMS(ctx, "+15551234567"); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"198.51.100.7", "198.51.100.8", "", ""}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d: X-Forwarded-For = %q, want %q", i, got[i], want[i])
		}
	}
}
