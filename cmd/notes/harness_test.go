package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/testenv"
)

// instance is one run() of the whole program inside the test process.
type instance struct {
	URL     string
	DataDir string
	out     *testenv.Output
	stop    func()
}

var runningRE = regexp.MustCompile(`is running at (http://\S+)`)

// startInstance runs the program with a fresh data folder (unless env sets
// one), listening on a free loopback port, and stops it when the test ends.
func startInstance(t testing.TB, env map[string]string, args ...string) *instance {
	t.Helper()
	vars := map[string]string{
		"NOTES_ADDR":      "127.0.0.1:0",
		"NOTES_DATA_DIR":  t.TempDir(),
		"NOTES_NHOST_DIR": filepath.Join(testenv.RepoRoot(t), "nhost"),
		"NOTES_LOG_LEVEL": "warn",
	}
	for k, v := range env {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := testenv.NewOutput()
	exited := make(chan struct{})
	var runErr error
	go func() {
		runErr = run(ctx, args, func(k string) string { return vars[k] }, out, out)
		close(exited)
	}()
	url, err := out.Wait(runningRE, exited, 60*time.Second)
	if err != nil {
		if errors.Is(err, testenv.ErrExited) {
			err = fmt.Errorf("%w: %v", err, runErr)
		}
		cancel()
		t.Fatalf("program not ready: %v\n%s", err, out.String())
	}
	inst := &instance{URL: url, DataDir: vars["NOTES_DATA_DIR"], out: out}
	var once sync.Once
	inst.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-exited:
				if runErr != nil {
					t.Errorf("program ended with an error: %v\n%s", runErr, out.String())
				}
			case <-time.After(30 * time.Second):
				t.Errorf("program did not stop within 30s")
			}
		})
	}
	t.Cleanup(inst.stop)
	mustHealthy(t, url)
	return inst
}

// mustHealthy waits until /healthz answers 200.
func mustHealthy(t testing.TB, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/healthz not healthy: %v", base, err)
		}
		<-tick.C
	}
}
