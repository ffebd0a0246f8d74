// Package pgtemp runs a throwaway Postgres server for tests: initdb into a
// temporary folder and pg_ctl on a free loopback port, so a test may stop
// and start its own database without disturbing the machine's server.
package pgtemp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/testenv"
)

// startTimeout bounds one pg_ctl start or stop; generous for a loaded machine.
const startTimeout = 60 * time.Second

// Server is one throwaway Postgres server. It keeps its data folder and
// port across Stop and Start, so clients reconnect to the same URL.
type Server struct {
	bin  string // folder of initdb, pg_ctl, postgres
	dir  string // owned by the server's OS user: data/, the socket, the log
	port int
	cred *syscall.Credential // nil unless the tests run as root

	mu      sync.Mutex
	running bool
}

// New initialises a server in a fresh temporary folder and starts it. The
// test is marked unavailable (skipped locally, failed in CI) when no
// Postgres binaries are installed. The server is stopped and its folder
// removed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	bin, err := binDir()
	if err != nil {
		testenv.Unavailable(t, "Postgres server binaries: %v", err)
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		if cred, err = serverUser(); err != nil {
			t.Fatalf("pgtemp: %v", err)
		}
	}
	dir, err := os.MkdirTemp("", "pgtemp-")
	if err != nil {
		t.Fatalf("pgtemp: %v", err)
	}
	s := &Server{bin: bin, dir: dir, cred: cred}
	t.Cleanup(func() {
		if err := s.stop("immediate"); err != nil {
			t.Errorf("pgtemp: cleanup: %v", err)
		}
		os.RemoveAll(dir)
	})
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			t.Fatalf("pgtemp: hand the folder to the server's user: %v", err)
		}
	}
	if err := s.run("initdb", "-D", s.dataDir(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		t.Fatalf("pgtemp: %v", err)
	}
	// Another process may take the free port before the server binds it:
	// try a few.
	for attempt := 1; ; attempt++ {
		if s.port, err = freePort(); err != nil {
			t.Fatalf("pgtemp: %v", err)
		}
		if err = s.Start(); err == nil {
			return s
		}
		if attempt == 3 {
			t.Fatalf("pgtemp: %v", err)
		}
	}
}

// URL is the connection URL of the server's postgres database as the
// postgres superuser (trust auth, loopback only).
func (s *Server) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.port)
}

// Port is the server's TCP port on 127.0.0.1.
func (s *Server) Port() int { return s.port }

// Start starts the server and returns once it accepts connections. It is
// a no-op on a running server.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return nil
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s -c max_connections=200 -c fsync=off -c full_page_writes=off",
		s.port, s.dir)
	if err := s.run("pg_ctl", "start", "-w", "-t", strconv.Itoa(int(startTimeout.Seconds())), "-D", s.dataDir(), "-l", s.logFile(), "-o", opts); err != nil {
		return fmt.Errorf("%w\n%s", err, s.logTail())
	}
	s.running = true
	return nil
}

// Stop shuts the server down cleanly (pg_ctl stop -m fast): open
// connections are terminated, committed data is checkpointed.
func (s *Server) Stop() error { return s.stop("fast") }

// Kill stops the server at once (pg_ctl stop -m immediate), as a crash
// would; the next Start recovers from the write-ahead log.
func (s *Server) Kill() error { return s.stop("immediate") }

func (s *Server) stop(mode string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return nil
	}
	if err := s.run("pg_ctl", "stop", "-w", "-t", strconv.Itoa(int(startTimeout.Seconds())), "-D", s.dataDir(), "-m", mode); err != nil {
		return err
	}
	s.running = false
	return nil
}

func (s *Server) dataDir() string { return filepath.Join(s.dir, "data") }
func (s *Server) logFile() string { return filepath.Join(s.dir, "postgres.log") }

// logTail returns the end of the server's log, for a failure message.
func (s *Server) logTail() string {
	b, err := os.ReadFile(s.logFile())
	if err != nil {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// run runs one of the server's programs as the server's user.
func (s *Server) run(name string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout+10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %v: %w\n%s", name, args[0], err, out.Bytes())
	}
	return nil
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return 0, errors.New("find a free port: not a TCP address")
	}
	return addr.Port, nil
}
