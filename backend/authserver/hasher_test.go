package authserver

import (
	"runtime"
	"testing"
)

// TestBcryptSlotsLeaveHalfTheCores keeps the bounds that protect page
// rendering and sign-in latency from a sign-in storm: bcrypt may use at
// most half the cores, and at most 16 callers a slot wait.
func TestBcryptSlotsLeaveHalfTheCores(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ procs, want int }{
		{1, 1}, {2, 1}, {3, 1}, {4, 2}, {8, 4}, {64, 32},
	} {
		if got := bcryptSlots(tc.procs); got != tc.want {
			t.Errorf("bcryptSlots(%d) = %d, want %d", tc.procs, got, tc.want)
		}
	}
	if got := bcryptWaiting(2); got != 32 {
		t.Errorf("bcryptWaiting(2) = %d, want 32", got)
	}
	e := mustEnv(t, sqliteURL, setup{})
	slots := bcryptSlots(runtime.GOMAXPROCS(0))
	if got := cap(e.srv.hasher.sem); got != slots {
		t.Errorf("the server runs %d bcrypt at once, want %d", got, slots)
	}
	if got, want := e.srv.hasher.maxWaiting, int64(bcryptWaiting(slots)); got != want {
		t.Errorf("the server queues %d bcrypt callers, want %d", got, want)
	}
}
