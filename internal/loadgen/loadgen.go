// Package loadgen drives the real app over HTTP the way a browser without
// JavaScript does: it signs users up and in through the app's own forms
// (reading the hidden _csrf input, keeping the session cookie), then runs a
// mixed workload of list pages, creates, updates and deletes, and keeps a
// ledger of every write the app acknowledged so a test can prove afterwards
// that nothing was lost.
//
// The reliability suite (soak/) and the whole-stack benchmarks use it; so
// can a person, through cmd/loadgen, against a running app.
package loadgen

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config describes one run.
type Config struct {
	// Targets are the app's base URLs (http://host:port). Requests go
	// round-robin across them, with no stickiness: the session lives in the
	// cookie, so any instance must serve any request.
	Targets []string
	// Users is how many users Prepare signs in (default 50).
	Users int
	// Requests is the total number of workload requests Run sends (default 20 000).
	Requests int
	// Concurrency is how many requests are in flight at once (default 64).
	Concurrency int
	// Mix weighs the kinds of request (default List 70, Create 20, Change 10).
	Mix Mix
	// Timeout bounds each request (default 30 s).
	Timeout time.Duration
	// Seed makes the choice of user and kind per request repeatable.
	Seed uint64
	// Prefix starts every note title, so runs against one database stay
	// apart (default "soak").
	Prefix string
	// OnWrite, when set, is called after each acknowledged write, from the
	// worker that sent it (so concurrently): a fault test can count writes
	// and strike after the n-th.
	OnWrite func(Write)
}

// Mix weighs the kinds of request; the weights need not add up to 100.
type Mix struct {
	List   int // GET /notes
	Create int // POST /notes
	Change int // POST /notes/:id (update) or POST /notes/:id/delete, half each
}

// Kind is one kind of workload request.
type Kind string

// The kinds of request Run sends.
const (
	KindList   Kind = "list"
	KindCreate Kind = "create"
	KindUpdate Kind = "update"
	KindDelete Kind = "delete"
)

// Kinds lists every kind in a stable order, for reports.
var Kinds = []Kind{KindList, KindCreate, KindUpdate, KindDelete}

// Credentials are one user's email and password.
type Credentials struct {
	Email    string
	Password string
}

// withDefaults fills unset fields and checks the rest.
func (c Config) withDefaults() (Config, error) {
	if len(c.Targets) == 0 {
		return c, errors.New("loadgen: no target URL")
	}
	targets := make([]string, len(c.Targets))
	for i, t := range c.Targets {
		u, err := url.Parse(t)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("loadgen: target %q is not an http(s) URL", t)
		}
		targets[i] = strings.TrimRight(t, "/")
	}
	c.Targets = targets
	if c.Users <= 0 {
		c.Users = 50
	}
	if c.Requests <= 0 {
		c.Requests = 20_000
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 64
	}
	if c.Mix == (Mix{}) {
		c.Mix = Mix{List: 70, Create: 20, Change: 10}
	}
	if c.Mix.List < 0 || c.Mix.Create < 0 || c.Mix.Change < 0 {
		return c, errors.New("loadgen: negative weight in Mix")
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.Prefix == "" {
		c.Prefix = "soak"
	}
	return c, nil
}

// UsersFor makes n credentials with emails unique to prefix, for Prepare.
func UsersFor(prefix string, n int) []Credentials {
	out := make([]Credentials, n)
	for i := range out {
		out[i] = Credentials{
			Email:    prefix + "-u" + strconv.Itoa(i) + "@example.com",
			Password: "load-test-password-" + strconv.Itoa(i),
		}
	}
	return out
}
