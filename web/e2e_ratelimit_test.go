package web_test

import (
	"net"
	"net/http"
	"net/url"
	"testing"

	"github.com/notes-app/notes/web"
)

// signInFrom posts the sign-in form as if from client ip (the test client
// plays the reverse proxy that sets X-Forwarded-For) and returns the status.
func (b *browser) signInFrom(ip, email string) int {
	b.t.Helper()
	b.ensureCSRF()
	form := url.Values{"email": {email}, "password": {"wrong-password"}, "_csrf": {b.csrf}}
	return b.do("POST", "/sign-in", form, map[string]string{"X-Forwarded-For": ip}).status
}

// TestAuthRateLimitPerClientIP: the auth service's per-IP buckets count
// each end user (the app forwards the client's IP), not the app server;
// and a client cannot pick its own bucket with a forged header.
func TestAuthRateLimitPerClientIP(t *testing.T) {
	t.Parallel()
	limited := map[string]string{"AUTH_RATE_LIMIT_ENABLE": "true", "AUTH_RATE_LIMIT_BRUTE_FORCE_BURST": "1"}
	_, lo, _ := net.ParseCIDR("127.0.0.0/8")
	t.Run("behind a trusted proxy", func(t *testing.T) {
		b, _ := mustApp(t, limited, func(o *web.Options) { o.TrustedProxies = []*net.IPNet{lo} })
		if st := b.signInFrom("198.51.100.1", "a1@example.com"); st != http.StatusUnprocessableEntity {
			t.Fatalf("first attempt of client 1: %d", st)
		}
		if st := b.signInFrom("198.51.100.1", "a2@example.com"); st != http.StatusTooManyRequests {
			t.Fatalf("second attempt of client 1: %d, want 429", st)
		}
		if st := b.fork().signInFrom("198.51.100.2", "b1@example.com"); st != http.StatusUnprocessableEntity {
			t.Fatalf("first attempt of client 2: %d, want its own bucket", st)
		}
	})
	t.Run("forged header without trusted proxies", func(t *testing.T) {
		b, _ := mustApp(t, limited, nil)
		if st := b.signInFrom("198.51.100.1", "a1@example.com"); st != http.StatusUnprocessableEntity {
			t.Fatalf("first attempt: %d", st)
		}
		if st := b.fork().signInFrom("198.51.100.2", "b1@example.com"); st != http.StatusTooManyRequests {
			t.Fatalf("a forged X-Forwarded-For got a fresh bucket: %d, want 429", st)
		}
	})
}
