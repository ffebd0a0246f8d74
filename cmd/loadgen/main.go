// Command loadgen drives a running Notes app the way the reliability suite
// does: it signs users up (or in) through the app's forms, sends a mixed
// workload of list pages, creates, updates and deletes, and prints the
// throughput, the latencies per kind and the statuses. With -admin-secret
// it also checks every acknowledged write against the database.
//
// The app must let users sign in without a verified email:
//
//	AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED=false notes
//	go run ./cmd/loadgen -target http://localhost:8080 -users 50 -requests 20000 -c 64
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/notes-app/notes/internal/loadgen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
		}
		os.Exit(1)
	}
}

// run is the whole program; tests call it with their own arguments.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		targets  = fs.String("target", "http://localhost:8080", "the app's base URL; a comma list goes round-robin")
		users    = fs.Int("users", 50, "users to sign up or in")
		requests = fs.Int("requests", 20_000, "requests to send")
		conns    = fs.Int("c", 64, "concurrent connections")
		mix      = fs.String("mix", "70,20,10", "weights of list, create and change (update or delete)")
		prefix   = fs.String("prefix", "loadgen", "start of every user email and (with the start time) note title")
		timeout  = fs.Duration("timeout", 30*time.Second, "timeout of one request")
		secret   = fs.String("admin-secret", "", "the app's admin secret: check the ledger afterwards")
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := loadgen.Config{
		Targets: strings.Split(*targets, ","), Users: *users, Requests: *requests,
		Concurrency: *conns, Timeout: *timeout, Seed: uint64(time.Now().UnixNano()),
		// Titles are new on every run, so a run checks only its own notes.
		Prefix: fmt.Sprintf("%s-%d", *prefix, time.Now().Unix()),
	}
	if _, err := fmt.Sscanf(*mix, "%d,%d,%d", &cfg.Mix.List, &cfg.Mix.Create, &cfg.Mix.Change); err != nil {
		return fmt.Errorf("-mix %q: want three weights such as 70,20,10", *mix)
	}
	t0 := time.Now()
	us, err := loadgen.Prepare(ctx, cfg, loadgen.UsersFor(*prefix, *users))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d users signed in in %v\n", len(us), time.Since(t0).Round(time.Millisecond))
	res, err := loadgen.Run(ctx, cfg, us)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, res.Summary())
	if *secret == "" {
		return nil
	}
	stored, err := loadgen.FetchNotes(ctx, cfg.Targets[0], *secret, cfg.Prefix)
	if err != nil {
		return err
	}
	problems := res.Verify(stored, cfg.Prefix)
	for _, p := range problems {
		fmt.Fprintln(stdout, "  ", p)
	}
	fmt.Fprintf(stdout, "ledger: %d notes stored, %d problems\n", len(stored), len(problems))
	if len(problems) > 0 {
		return fmt.Errorf("%d problems in the ledger", len(problems))
	}
	return nil
}
