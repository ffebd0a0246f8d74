package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/notes-app/notes/internal/loadgen"
)

// memoryIdleAfter is when, after the exec, the idle RSS is read.
const memoryIdleAfter = 10 * time.Second

// BenchmarkMemory execs the built binary on a fresh SQLite data folder and
// reads its resident memory from /proc: idle-MiB is VmRSS 10 s after the
// exec; then 50 users sign up through the forms and loadgen runs the
// reliability suite's mix (70% list pages, 20% creates, 10% updates and
// deletes) at 64 connections, and peak-MiB is VmHWM (the high-water mark of
// RSS since the exec), x-idle their ratio. One op is one whole run (10 s
// or more, so the default -benchtime runs it once).
func BenchmarkMemory(b *testing.B) {
	bin := mustBuildBinary(b)
	for b.Loop() {
		p := mustStartBinary(b, bin, b.TempDir(), []string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED=false"})
		select {
		case <-time.After(time.Until(p.started.Add(memoryIdleAfter))):
		case <-p.done:
			b.Fatalf("the binary exited: %v", p.err)
		}
		idle := mustProcStatus(b, p.cmd.Process.Pid, "VmRSS")

		ctx := context.Background()
		cfg := loadgen.Config{Targets: []string{p.url}, Requests: 4000, Concurrency: 64, Prefix: "mem"}
		users, err := loadgen.Prepare(ctx, cfg, loadgen.UsersFor("mem", 50))
		if err != nil {
			b.Fatal(err)
		}
		res, err := loadgen.Run(ctx, cfg, users)
		if err != nil {
			b.Fatal(err)
		}
		if res.Failed > 0 {
			b.Fatalf("%d requests failed: %v", res.Failed, res.Failures)
		}
		peak := mustProcStatus(b, p.cmd.Process.Pid, "VmHWM")
		after := mustProcStatus(b, p.cmd.Process.Pid, "VmRSS")
		p.stop(b)

		b.ReportMetric(idle, "idle-MiB")
		b.ReportMetric(peak, "peak-MiB")
		b.ReportMetric(after, "after-MiB")
		b.ReportMetric(peak/idle, "x-idle")
		b.ReportMetric(res.Latency.Rate(), "load-req/s")
	}
}

// mustProcStatus returns a field of /proc/<pid>/status in MiB (the kernel
// reports kB).
func mustProcStatus(b *testing.B, pid int, field string) float64 {
	b.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		if err != nil {
			b.Fatalf("%s: %q: %v", field, value, err)
		}
		return kb / 1024
	}
	b.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
