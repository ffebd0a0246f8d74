package authserver

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// bcryptCost is Nhost's cost, so hashes from a real Nhost database verify
// unchanged.
const bcryptCost = 10

// hasher runs bcrypt with a bound: at most cap(sem) computations at once
// and at most maxWaiting callers queued; beyond that it refuses at once,
// so a sign-in storm cannot starve the rest of the process.
type hasher struct {
	sem        chan struct{}
	waiting    atomic.Int64
	maxWaiting int64
}

// bcryptSlots is how many bcrypt computations may run at once on procs
// cores: half of them (at least one), so a storm of sign-ins leaves the
// other half to page rendering. With 2*procs slots a burst at twice the
// ceiling took every core and page p99 grew 15-fold on a 2-core machine;
// with half it stays within 2-3x (docs/reliability.md, the bcrypt burst).
func bcryptSlots(procs int) int { return max(1, procs/2) }

// bcryptWaiting bounds the queue behind slots: 16 callers a slot, so the
// last in line waits about 16 bcrypt times (~1 s on an idle core, a few
// under load) on any machine; beyond it sign-ins get 429 at once instead
// of piling up. A fixed 64 behind one slot kept sign-ins of a burst
// waiting up to 15 s on a loaded 2-core machine.
func bcryptWaiting(slots int) int { return 16 * slots }

func newHasher(concurrency, maxWaiting int) *hasher {
	return &hasher{sem: make(chan struct{}, concurrency), maxWaiting: int64(maxWaiting)}
}

// errBusy reports a full bcrypt queue.
var errBusy = &apiError{code: errTooManyRequests, cause: errors.New("bcrypt queue full"), retryAfter: time.Second}

func (h *hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	default:
	}
	if h.waiting.Add(1) > h.maxWaiting {
		h.waiting.Add(-1)
		return errBusy
	}
	defer h.waiting.Add(-1)
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *hasher) release() { <-h.sem }

// hash returns the bcrypt hash of secret.
func (h *hasher) hash(ctx context.Context, secret string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	b, err := bcrypt.GenerateFromPassword([]byte(secret), bcryptCost)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// dummyHash is compared against when there is no real hash, so an unknown
// account costs as much time as a wrong password.
var dummyHash = []byte("$2a$10$7EqJtq98hPqEX7fNZaFWoOa5rR3oCxV4zCXfZ0x1uYrPhrW3nkh0y")

// matches reports whether secret matches hash (empty hash: never, at the
// same cost).
func (h *hasher) matches(ctx context.Context, hash, secret string) (bool, error) {
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(secret))
		return false, nil
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(secret)) == nil, nil
}
