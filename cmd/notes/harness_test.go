package main

import (
	"bytes"
	"context"
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
	out     *syncBuffer
	stop    func()
}

// syncBuffer collects a program's output and lets a test wait for a line.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{changed: make(chan struct{}, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	select {
	case b.changed <- struct{}{}:
	default:
	}
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until the output matches re and returns the first group.
func (b *syncBuffer) waitFor(t testing.TB, re *regexp.Regexp, done <-chan error) string {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		if m := re.FindStringSubmatch(b.String()); m != nil {
			return m[1]
		}
		select {
		case <-b.changed:
		case err := <-done:
			t.Fatalf("program exited before it was ready: %v\n%s", err, b.String())
		case <-deadline:
			t.Fatalf("program not ready after 60s:\n%s", b.String())
		}
	}
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
	out := newSyncBuffer()
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(k string) string { return vars[k] }, out, out) }()
	url := out.waitFor(t, runningRE, done)
	inst := &instance{URL: url, DataDir: vars["NOTES_DATA_DIR"], out: out}
	var once sync.Once
	inst.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("program ended with an error: %v\n%s", err, out.String())
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
