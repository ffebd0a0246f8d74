package authserver

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter keeps token buckets by (kind, key), read against the server's
// clock so tests can move time instead of sleeping.
type limiter struct {
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, buckets: map[string]*rate.Limiter{}}
}

// maxBuckets bounds memory: past it, full (idle) buckets are dropped.
const maxBuckets = 50_000

// check takes one token from the bucket of kind and key, or returns
// too-many-requests with the wait until the next token.
func (l *limiter) check(kind string, b Bucket, key string) error {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	id := kind + "\x00" + key
	lim, ok := l.buckets[id]
	if !ok {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		lim = rate.NewLimiter(rate.Every(b.Interval/time.Duration(b.Burst)), b.Burst)
		l.buckets[id] = lim
	}
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return &apiError{code: errTooManyRequests, retryAfter: d}
	}
	return nil
}

func (l *limiter) sweep(now time.Time) {
	for id, lim := range l.buckets {
		if lim.TokensAt(now) >= float64(lim.Burst()) {
			delete(l.buckets, id)
		}
	}
}

// limit applies a per-endpoint bucket to the client IP and, when subject
// (an email or phone number) is given, to that subject too.
func (s *Server) limit(r *http.Request, kind string, b Bucket, subject string) error {
	if !s.cfg.RateLimit.Enable {
		return nil
	}
	if err := s.limits.check(kind+":ip", b, clientIP(r)); err != nil {
		return err
	}
	if subject != "" {
		return s.limits.check(kind+":subject", b, strings.ToLower(subject))
	}
	return nil
}

// clientIP is the peer address. X-Forwarded-For is believed only from a
// loopback or in-process peer (the app's own server in front of us), and
// then its last hop is used.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if host == "" || (ip != nil && ip.IsLoopback()) {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	return host
}
