package loadgen

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Latencies are the durations of a set of requests, with the wall time
// they took together.
type Latencies struct {
	samples []time.Duration
	sorted  bool
	// Elapsed is the wall time from the first request's start to the last
	// one's end (zero for a per-kind subset).
	Elapsed time.Duration
	// Errors counts the calls whose function returned an error.
	Errors int
	// FirstErr is the first of those errors.
	FirstErr error
}

// Add records one duration.
func (l *Latencies) Add(d time.Duration) {
	l.samples = append(l.samples, d)
	l.sorted = false
}

// Merge adds every sample (and the errors) of o.
func (l *Latencies) Merge(o Latencies) {
	l.samples = append(l.samples, o.samples...)
	l.sorted = false
	l.Errors += o.Errors
	if l.FirstErr == nil {
		l.FirstErr = o.FirstErr
	}
}

// Count is the number of samples.
func (l *Latencies) Count() int { return len(l.samples) }

// P returns the q-th percentile (0 < q <= 100) by the nearest-rank method;
// zero without samples.
func (l *Latencies) P(q float64) time.Duration {
	if len(l.samples) == 0 {
		return 0
	}
	if !l.sorted {
		slices.Sort(l.samples)
		l.sorted = true
	}
	rank := int(q/100*float64(len(l.samples))+0.999999) - 1
	return l.samples[min(max(rank, 0), len(l.samples)-1)]
}

// Max is the slowest sample.
func (l *Latencies) Max() time.Duration { return l.P(100) }

// Rate is the throughput in requests per second over Elapsed.
func (l *Latencies) Rate() float64 {
	if l.Elapsed <= 0 {
		return 0
	}
	return float64(len(l.samples)) / l.Elapsed.Seconds()
}

// String summarises the samples in one line.
func (l *Latencies) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "n=%d p50=%v p99=%v max=%v", l.Count(), round(l.P(50)), round(l.P(99)), round(l.Max()))
	if l.Elapsed > 0 {
		fmt.Fprintf(&b, " %.0f req/s over %v", l.Rate(), l.Elapsed.Round(time.Millisecond))
	}
	if l.Errors > 0 {
		fmt.Fprintf(&b, " errors=%d (first: %v)", l.Errors, l.FirstErr)
	}
	return b.String()
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// Drive is a closed-loop driver: concurrency workers call do for i in
// [0, n) until every call is done or ctx ends, and it returns how long
// each call took. A call that returns an error still counts its duration.
func Drive(ctx context.Context, n, concurrency int, do func(ctx context.Context, i int) error) Latencies {
	concurrency = max(1, min(concurrency, n))
	var (
		next atomic.Int64
		mu   sync.Mutex
		all  Latencies
		wg   sync.WaitGroup
	)
	start := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine Latencies
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					break
				}
				t0 := time.Now()
				err := do(ctx, i)
				mine.Add(time.Since(t0))
				if err != nil {
					mine.Errors++
					if mine.FirstErr == nil {
						mine.FirstErr = err
					}
				}
			}
			mu.Lock()
			all.Merge(mine)
			mu.Unlock()
		}()
	}
	wg.Wait()
	all.Elapsed = time.Since(start)
	return all
}
