//go:build soak

package soak

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/testenv"
)

// proc is one run of the notes binary as a child process.
type proc struct {
	// URL is the app's base URL, Addr its host:port.
	URL, Addr string
	// Env is the environment it was started with (a restart reuses it).
	Env map[string]string
	// Args are the command line arguments (e.g. "backend"); a restart
	// reuses them.
	Args []string

	cmd  *exec.Cmd
	out  *testenv.Output
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, set before done closes
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// baseEnv is the environment of one app for a test: a fresh data folder,
// the repository's Nhost project, explicit secrets (so several instances
// can share them), sign-in without email verification (the load generator
// signs its users up through the forms), and databaseURL ("" = SQLite in
// the data folder).
func baseEnv(t testing.TB, databaseURL string) map[string]string {
	t.Helper()
	env := map[string]string{
		"NOTES_ADDR":                                "127.0.0.1:0",
		"NOTES_DATA_DIR":                            t.TempDir(),
		"NOTES_NHOST_DIR":                           filepath.Join(testenv.RepoRoot(t), "nhost"),
		"NOTES_LOG_LEVEL":                           "warn",
		"NOTES_SESSION_HASH_KEY":                    randomHex(32),
		"NOTES_SESSION_BLOCK_KEY":                   randomHex(32),
		"HASURA_GRAPHQL_ADMIN_SECRET":               randomHex(24),
		"HASURA_GRAPHQL_JWT_SECRET":                 `{"type":"HS256","key":"` + randomHex(32) + `"}`,
		"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false",
	}
	if databaseURL != "" {
		env["NOTES_DATABASE_URL"] = databaseURL
	}
	return env
}

var runningRE = regexp.MustCompile(`is running at (http://\S+)`)

// mustStart runs the binary with env (plus PATH, HOME and TMPDIR from the
// test's own environment) and args (none: serve), waits until it is
// healthy, and kills it when the test ends if it still runs.
func mustStart(t testing.TB, env map[string]string, args ...string) *proc {
	t.Helper()
	p, err := start(t, env, args...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// start is mustStart returning its error instead, so several processes
// can be started at once from goroutines.
func start(t testing.TB, env map[string]string, args ...string) (*proc, error) {
	p := &proc{Env: env, Args: args, out: testenv.NewOutput(), done: make(chan struct{})}
	p.cmd = exec.Command(binary, args...)
	p.cmd.Env = environ(env)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start notes: %w", err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		if !p.exited() {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("output of %s:\n%s", p.URL, tail(p.out.String(), 4000))
		}
	})
	url, err := p.waitRunning()
	if err != nil {
		return nil, err
	}
	p.URL, p.Addr = url, url[len("http://"):]
	return p, waitHealthy(p.URL, 30*time.Second)
}

func environ(env map[string]string) []string {
	var out []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			out = append(out, k+"="+v)
		}
	}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// waitRunning waits for the "is running at" line and returns its URL.
func (p *proc) waitRunning() (string, error) {
	url, err := p.out.Wait(runningRE, p.done, 60*time.Second)
	if errors.Is(err, testenv.ErrExited) {
		return "", fmt.Errorf("notes exited before it was ready: %v\n%s", p.err, p.out.String())
	}
	if err != nil {
		return "", fmt.Errorf("notes not ready: %w\n%s", err, p.out.String())
	}
	return url, nil
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Output is everything the process printed so far.
func (p *proc) Output() string { return p.out.String() }

// Kill ends the process with SIGKILL, as a crash or the OOM killer would,
// and waits until it is gone.
func (p *proc) Kill(t testing.TB) {
	t.Helper()
	if err := p.kill(); err != nil {
		t.Fatalf("kill notes: %v", err)
	}
	p.wait(t)
}

// kill sends SIGKILL without waiting; it is safe from any goroutine (a
// load generator's callback) and on a process that has exited.
func (p *proc) kill() error {
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}

// Stop ends the process with SIGTERM and fails the test unless it shuts
// down cleanly.
func (p *proc) Stop(t testing.TB) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("stop notes: %v", err)
	}
	p.wait(t)
	if p.err != nil {
		t.Errorf("notes did not stop cleanly: %v\n%s", p.err, tail(p.out.String(), 4000))
	}
}

func (p *proc) wait(t testing.TB) {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("notes did not exit within 30s")
	}
}

// mustRestart starts the binary again with the same environment,
// arguments, data folder and port, after p has exited.
func (p *proc) mustRestart(t testing.TB) *proc {
	t.Helper()
	if !p.exited() {
		t.Fatal("mustRestart: the process still runs; Kill or Stop it first")
	}
	env := make(map[string]string, len(p.Env))
	for k, v := range p.Env {
		env[k] = v
	}
	env["NOTES_ADDR"] = p.Addr
	return mustStart(t, env, p.Args...)
}

// mustHealthy waits until base/healthz answers 200.
func mustHealthy(t testing.TB, base string) {
	t.Helper()
	if err := waitHealthy(base, 30*time.Second); err != nil {
		t.Fatal(err)
	}
}

// waitHealthy polls base/healthz until it answers 200 or timeout passes.
func waitHealthy(base string, timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := client.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("%s/healthz: %s", base, res.Status)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not healthy after %v: %w", timeout, err)
		}
		<-tick.C
	}
}

// tail is the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
