package loadgen

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Write is one write of the ledger: a create, update or delete of a note,
// identified by its title (unique per run and never changed).
type Write struct {
	Op      Kind
	ID      string // "" for a create whose id was not seen yet
	Owner   string // the user's email
	Title   string
	Content string // the content written ("" for a delete)
}

// Result is what a run did and what the app acknowledged.
type Result struct {
	// Status counts the responses by status code; 0 counts transport
	// errors (refused connections, timeouts, broken responses).
	Status map[int]int
	// Sent counts the requests by kind.
	Sent map[Kind]int
	// Written are the acknowledged creates and updates, in the order the
	// app acknowledged them (per note, the order they happened).
	Written []Write
	// Deleted are the acknowledged deletes.
	Deleted []Write
	// Uncertain are writes the app did not acknowledge (an error status or
	// a transport error): each may or may not have happened. The note of an
	// uncertain update or delete gets no further request.
	Uncertain []Write
	// Failed counts requests not acknowledged; Failures describes the
	// first few.
	Failed   int
	Failures []string
	// Latency covers every request; ByKind splits it.
	Latency Latencies
	ByKind  map[Kind]*Latencies
}

// maxFailures is how many failures a Result describes.
const maxFailures = 20

// Run sends cfg.Requests requests from cfg.Concurrency workers, each as a
// user picked at random among users, of a kind picked by cfg.Mix. A change
// picks one of the user's notes whose id a list page has shown and that no
// other request is changing; a user without one creates a note instead.
// Run stops early when ctx ends. The error is only for a bad Config.
func Run(ctx context.Context, cfg Config, users []*User) (*Result, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, errors.New("loadgen: no users (call Prepare)")
	}
	r := &runner{cfg: cfg, users: users, res: &Result{
		Status: map[int]int{}, Sent: map[Kind]int{}, ByKind: map[Kind]*Latencies{},
	}}
	for _, k := range Kinds {
		r.res.ByKind[k] = &Latencies{}
	}
	r.res.Latency = Drive(ctx, cfg.Requests, cfg.Concurrency, r.request)
	r.res.Latency.Errors, r.res.Latency.FirstErr = 0, nil // counted in Failed
	return r.res, nil
}

// runner is one Run's shared state.
type runner struct {
	cfg   Config
	users []*User
	next  atomic.Uint64 // round-robin over targets
	mu    sync.Mutex    // guards res
	res   *Result
}

func (r *runner) target() string {
	return r.cfg.Targets[int(r.next.Add(1)-1)%len(r.cfg.Targets)]
}

// request sends the i-th request of the run.
func (r *runner) request(ctx context.Context, i int) error {
	rng := rand.New(rand.NewPCG(r.cfg.Seed, uint64(i)))
	u := r.users[rng.IntN(len(r.users))]
	m := r.cfg.Mix
	pick := rng.IntN(m.List + m.Create + m.Change)
	switch {
	case pick < m.List:
		return r.list(ctx, u)
	case pick < m.List+m.Create:
		return r.create(ctx, u, i)
	}
	n := u.checkOut(rng)
	switch {
	case n == nil:
		return r.create(ctx, u, i)
	case rng.IntN(2) == 0:
		return r.update(ctx, u, n, i)
	default:
		return r.delete(ctx, u, n)
	}
}

func (r *runner) list(ctx context.Context, u *User) error {
	t0 := time.Now()
	res, cards, err := u.ListNotes(ctx, r.target())
	r.record(KindList, u, t0, res, err)
	if err != nil {
		return err
	}
	u.learn(cards)
	return nil
}

func (r *runner) create(ctx context.Context, u *User, i int) error {
	w := Write{Op: KindCreate, Owner: u.Email,
		Title: fmt.Sprintf("%s u%d #%d", r.cfg.Prefix, u.Index, i)}
	w.Content = fmt.Sprintf("Body of %s, first version.\n\n- written by the load generator", w.Title)
	t0 := time.Now()
	res, err := u.CreateNote(ctx, r.target(), w.Title, w.Content)
	r.record(KindCreate, u, t0, res, err)
	r.ledger(w, err)
	if err == nil {
		u.created(w)
	}
	return err
}

func (r *runner) update(ctx context.Context, u *User, n *note, i int) error {
	w := Write{Op: KindUpdate, ID: n.id, Owner: u.Email, Title: n.title,
		Content: fmt.Sprintf("Body of %s, changed by request %d.", n.title, i)}
	t0 := time.Now()
	res, err := u.UpdateNote(ctx, r.target(), n.id, w.Title, w.Content)
	r.record(KindUpdate, u, t0, res, err)
	r.ledger(w, err)
	if err == nil {
		n.content = w.Content
		u.checkIn(n) // only after the ledger has it, so its order holds
	}
	return err
}

func (r *runner) delete(ctx context.Context, u *User, n *note) error {
	w := Write{Op: KindDelete, ID: n.id, Owner: u.Email, Title: n.title}
	t0 := time.Now()
	res, err := u.DeleteNote(ctx, r.target(), n.id)
	r.record(KindDelete, u, t0, res, err)
	r.ledger(w, err)
	return err
}

// record counts a request's status and its latency by kind.
func (r *runner) record(k Kind, u *User, t0 time.Time, res *Response, err error) {
	d := time.Since(t0)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.Sent[k]++
	r.res.ByKind[k].Add(d)
	status := 0
	if res != nil {
		status = res.Status
	}
	r.res.Status[status]++
	if err != nil {
		r.res.Failed++
		if len(r.res.Failures) < maxFailures {
			r.res.Failures = append(r.res.Failures, fmt.Sprintf("%s as %s: %v", k, u.Email, err))
		}
	}
}

// ledger adds an acknowledged write, or an unacknowledged one as uncertain.
func (r *runner) ledger(w Write, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case err != nil:
		r.res.Uncertain = append(r.res.Uncertain, w)
	case w.Op == KindDelete:
		r.res.Deleted = append(r.res.Deleted, w)
	default:
		r.res.Written = append(r.res.Written, w)
	}
	if err == nil && r.cfg.OnWrite != nil {
		r.cfg.OnWrite(w)
	}
}

// created remembers an acknowledged create until a list page shows its id.
func (u *User) created(w Write) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.pending[w.Title] = &note{title: w.Title, content: w.Content}
}

// learn takes the ids of pending creates from a list page's cards.
func (u *User) learn(cards []Card) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, c := range cards {
		if n, ok := u.pending[c.Title]; ok {
			delete(u.pending, c.Title)
			n.id = c.ID
			u.known = append(u.known, n)
		}
	}
}

// checkOut takes one changeable note out of the pool (nil when none), so
// no other request changes it meanwhile.
func (u *User) checkOut(rng *rand.Rand) *note {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.known) == 0 {
		return nil
	}
	i := rng.IntN(len(u.known))
	n := u.known[i]
	u.known[i] = u.known[len(u.known)-1]
	u.known = u.known[:len(u.known)-1]
	return n
}

// checkIn returns a note to the pool.
func (u *User) checkIn(n *note) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.known = append(u.known, n)
}
