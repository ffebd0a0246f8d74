package loadgen

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestLatenciesPercentiles(t *testing.T) {
	var l Latencies
	for i := 100; i >= 1; i-- {
		l.Add(time.Duration(i) * time.Millisecond)
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{
		{50, 50 * time.Millisecond},
		{99, 99 * time.Millisecond},
		{100, 100 * time.Millisecond},
		{0.1, time.Millisecond},
	} {
		if got := l.P(tc.q); got != tc.want {
			t.Errorf("P(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if (&Latencies{}).P(50) != 0 {
		t.Error("P of no samples is not zero")
	}
}

func TestDriveCallsEveryIndexOnce(t *testing.T) {
	const n = 1000
	var seen [n]atomic.Int32
	boom := errors.New("boom")
	l := Drive(context.Background(), n, 7, func(_ context.Context, i int) error {
		seen[i].Add(1)
		if i%100 == 0 {
			return boom
		}
		return nil
	})
	for i := range seen {
		if c := seen[i].Load(); c != 1 {
			t.Fatalf("index %d called %d times", i, c)
		}
	}
	if l.Count() != n || l.Errors != 10 || !errors.Is(l.FirstErr, boom) || l.Elapsed <= 0 {
		t.Errorf("Drive = %s", &l)
	}
}

func TestCards(t *testing.T) {
	page := []byte(`<article id="note-1" class="card" data-testid="note-card" data-note-id="0b8a8f1e-2f4b-4c6e-9a43-1c2d3e4f5a6b">
<h2><a href="/notes/x" class="hover:underline" data-testid="note-title">soak u1 #2 &amp; more</a></h2></article>
<article data-testid="note-card" data-note-id="1b8a8f1e-2f4b-4c6e-9a43-1c2d3e4f5a6b"><a data-testid="note-title">two</a></article>`)
	got := Cards(page)
	want := []Card{
		{ID: "0b8a8f1e-2f4b-4c6e-9a43-1c2d3e4f5a6b", Title: "soak u1 #2 & more"},
		{ID: "1b8a8f1e-2f4b-4c6e-9a43-1c2d3e4f5a6b", Title: "two"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Cards = %v, want %v", got, want)
	}
}

func TestVerify(t *testing.T) {
	const a, b = "a@example.com", "b@example.com"
	res := &Result{
		Written: []Write{
			{Op: KindCreate, Owner: a, Title: "p u0 #1", Content: "v1"},
			{Op: KindUpdate, Owner: a, Title: "p u0 #1", Content: "v2"},
			{Op: KindCreate, Owner: b, Title: "p u1 #2", Content: "x"},
			{Op: KindCreate, Owner: b, Title: "p u1 #3", Content: "gone"},
			{Op: KindCreate, Owner: b, Title: "p u1 #4", Content: "old"},
			{Op: KindCreate, Owner: b, Title: "p u1 #5", Content: "maybe gone"},
		},
		Deleted: []Write{{Op: KindDelete, Owner: b, Title: "p u1 #3"}},
		Uncertain: []Write{
			{Op: KindCreate, Owner: a, Title: "p u0 #6", Content: "maybe"},
			{Op: KindUpdate, Owner: b, Title: "p u1 #4", Content: "new"},
			{Op: KindDelete, Owner: b, Title: "p u1 #5"},
		},
	}
	good := []Note{
		{Title: "p u0 #1", Content: "v2", Owner: a},
		{Title: "p u1 #2", Content: "x", Owner: b},
		{Title: "p u1 #4", Content: "new", Owner: b},
		{Title: "other u1", Content: "not this run's", Owner: b},
	}
	for _, tc := range []struct {
		name   string
		stored []Note
		want   []string // a word of each problem, in order
	}{
		{"exact", good, nil},
		{"uncertain create happened", append(slices.Clone(good), Note{Title: "p u0 #6", Content: "maybe", Owner: a}), nil},
		{"lost", good[1:], []string{"lost"}},
		{"stale content", replace(good, 0, Note{Title: "p u0 #1", Content: "v1", Owner: a}), []string{"last acknowledged"}},
		{"wrong owner", replace(good, 1, Note{Title: "p u1 #2", Content: "x", Owner: a}), []string{"belongs to"}},
		{"duplicate", append(slices.Clone(good), good[1]), []string{"2 times"}},
		{"deleted came back", append(slices.Clone(good), Note{Title: "p u1 #3", Content: "gone", Owner: b}), []string{"deleted"}},
		{"phantom", append(slices.Clone(good), Note{Title: "p u9 #9", Owner: a}), []string{"no write"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := res.Verify(tc.stored, "p")
			if len(got) != len(tc.want) {
				t.Fatalf("Verify = %q, want problems about %q", got, tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to mention %q", i, got[i], w)
				}
			}
		})
	}
}

func replace(notes []Note, i int, n Note) []Note {
	out := slices.Clone(notes)
	out[i] = n
	return out
}
