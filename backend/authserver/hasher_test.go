package authserver

import (
	"runtime"
	"testing"
)

// TestBcryptSlotsLeaveHalfTheCores keeps the bound that protects page
// rendering from a sign-in storm: bcrypt may use at most half the cores.
func TestBcryptSlotsLeaveHalfTheCores(t *testing.T) {
	for _, tc := range []struct{ procs, want int }{
		{1, 1}, {2, 1}, {3, 1}, {4, 2}, {8, 4}, {64, 32},
	} {
		if got := bcryptSlots(tc.procs); got != tc.want {
			t.Errorf("bcryptSlots(%d) = %d, want %d", tc.procs, got, tc.want)
		}
	}
	e := mustEnv(t, sqliteURL, setup{})
	if got, want := cap(e.srv.hasher.sem), bcryptSlots(runtime.GOMAXPROCS(0)); got != want {
		t.Errorf("the server runs %d bcrypt at once, want %d", got, want)
	}
	if e.srv.hasher.maxWaiting != maxBcryptWaiting {
		t.Errorf("the server queues %d bcrypt callers, want %d", e.srv.hasher.maxWaiting, maxBcryptWaiting)
	}
}
