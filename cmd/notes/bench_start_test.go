package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkStart execs the built binary and measures, from just before
// the exec, the time to the first 200 on /healthz and to the first rendered
// page (GET /sign-in), polling every millisecond. "existing" starts on a
// data folder an earlier run created (database migrated, secrets kept);
// "empty" on an empty folder each time (it creates the SQLite database,
// migrates it and generates the secrets). One op is one start; the
// reported figures are medians.
func BenchmarkStart(b *testing.B) {
	bin := mustBuildBinary(b)
	existing := b.TempDir()
	p := mustStartBinary(b, bin, existing, nil)
	p.stop(b)
	for _, c := range []struct {
		name string
		dir  func() string
	}{
		{"existing", func() string { return existing }},
		{"empty", func() string { return b.TempDir() }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var health, page []time.Duration
			for b.Loop() {
				b.StopTimer()
				dir := c.dir()
				b.StartTimer()
				p := mustStartBinary(b, bin, dir, nil)
				health = append(health, p.healthy)
				page = append(page, mustFirstPage(b, p))
				b.StopTimer()
				p.stop(b)
				b.StartTimer()
			}
			b.ReportMetric(benchMillis(medianDuration(health)), "healthz-ms")
			b.ReportMetric(benchMillis(medianDuration(page)), "page-ms")
		})
	}
}

// binaryProcess is a running binary.
type binaryProcess struct {
	cmd     *exec.Cmd
	url     string
	started time.Time
	// healthy is the time from the exec to the first 200 on /healthz.
	healthy time.Duration
	done    chan struct{} // closed when the process ended, with err set
	err     error
	once    sync.Once
}

// mustBuildBinary builds cmd/notes into a temporary folder.
func mustBuildBinary(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "notes")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// mustStartBinary execs bin in a folder of its own with dataDir as its
// data folder on a free loopback port, and returns once /healthz answers
// 200 (polled every millisecond from the exec on).
func mustStartBinary(b *testing.B, bin, dataDir string, env []string) *binaryProcess {
	b.Helper()
	addr := freeLoopbackAddr(b)
	cmd := exec.Command(bin)
	cmd.Dir = b.TempDir() // no ./nhost: the binary uses its embedded project
	cmd.Env = append(os.Environ(), "NOTES_ADDR="+addr, "NOTES_DATA_DIR="+dataDir)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	p := &binaryProcess{cmd: cmd, url: "http://" + addr, done: make(chan struct{})}
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	b.Cleanup(func() { p.stop(b) })
	hc := &http.Client{Timeout: 5 * time.Second}
	deadline := p.started.Add(60 * time.Second)
	for {
		if res, err := hc.Get(p.url + "/healthz"); err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				p.healthy = time.Since(p.started)
				return p
			}
		}
		select {
		case <-p.done:
			b.Fatalf("the binary exited before it was healthy: %v", p.err)
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			b.Fatal("the binary was not healthy within 60s")
		}
	}
}

// mustFirstPage gets /sign-in and returns the time from the exec to its 200.
func mustFirstPage(b *testing.B, p *binaryProcess) time.Duration {
	b.Helper()
	res, err := http.Get(p.url + "/sign-in")
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b.Fatalf("GET /sign-in: %s", res.Status)
	}
	return time.Since(p.started)
}

// stop interrupts the process and waits for it to end (once).
func (p *binaryProcess) stop(b *testing.B) {
	p.once.Do(func() {
		if err := p.cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
			b.Error(err)
		}
		select {
		case <-p.done:
		case <-time.After(30 * time.Second):
			p.cmd.Process.Kill()
			b.Error("the binary did not stop within 30s of SIGINT")
		}
	})
}

// freeLoopbackAddr returns a loopback address whose port was free a moment ago.
func freeLoopbackAddr(b *testing.B) string {
	b.Helper()
	var lc net.ListenConfig
	ln, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func medianDuration(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
