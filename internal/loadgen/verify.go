package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// Note is a note as the database holds it.
type Note struct {
	ID      string
	Title   string
	Content string
	UserID  string
	Owner   string // the owner's email
}

// FetchNotes reads every note whose title starts with prefix through the
// app's GraphQL endpoint (base + /v1/graphql) with the admin secret.
func FetchNotes(ctx context.Context, base, adminSecret, prefix string) ([]Note, error) {
	body, _ := json.Marshal(map[string]any{
		"query": `query ($like: String!) {
  notes(where: {title: {_like: $like}}) { id title content user_id user { email } }
}`,
		"variables": map[string]any{"like": escapeLike(prefix) + "%"},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-hasura-admin-secret", adminSecret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch notes: %w", err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("fetch notes: %w", err)
	}
	var out struct {
		Data struct {
			Notes []struct {
				ID      string `json:"id"`
				Title   string `json:"title"`
				Content string `json:"content"`
				UserID  string `json:"user_id"`
				User    struct {
					Email string `json:"email"`
				} `json:"user"`
			} `json:"notes"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || res.StatusCode != http.StatusOK || len(out.Errors) > 0 {
		return nil, fmt.Errorf("fetch notes: status %d: %.300s", res.StatusCode, raw)
	}
	notes := make([]Note, len(out.Data.Notes))
	for i, n := range out.Data.Notes {
		notes[i] = Note{ID: n.ID, Title: n.Title, Content: n.Content, UserID: n.UserID, Owner: n.User.Email}
	}
	return notes, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// expected is what the ledger allows for one title.
type expected struct {
	owner    string
	contents []string // any of these (more than one after an uncertain update)
	must     bool     // an acknowledged create not acknowledged as deleted
	may      bool     // may exist (uncertain create or delete)
}

// Verify checks the stored notes of this run (those whose title starts
// with the run's prefix plus " u") against the ledger: every acknowledged
// create is present exactly once, owned by its user, with the content of
// its last acknowledged update; every acknowledged delete is gone; a note
// touched by an unacknowledged write is allowed either outcome; no other
// note exists. It returns the problems found, nil when there are none.
func (r *Result) Verify(stored []Note, prefix string) []string {
	exp := map[string]*expected{}
	for _, w := range r.Written {
		switch e := exp[w.Title]; {
		case w.Op == KindCreate:
			exp[w.Title] = &expected{owner: w.Owner, contents: []string{w.Content}, must: true}
		case e != nil:
			e.contents = []string{w.Content}
		}
	}
	for _, w := range r.Deleted {
		if e := exp[w.Title]; e != nil {
			e.must, e.may = false, false
		}
	}
	for _, w := range r.Uncertain {
		e := exp[w.Title]
		switch {
		case w.Op == KindCreate:
			exp[w.Title] = &expected{owner: w.Owner, contents: []string{w.Content}, may: true}
		case e == nil:
		case w.Op == KindUpdate:
			e.contents = append(e.contents, w.Content)
		case w.Op == KindDelete:
			e.must, e.may = false, true
		}
	}

	var problems []string
	seen := map[string]int{}
	for _, n := range stored {
		if !strings.HasPrefix(n.Title, prefix+" u") {
			continue
		}
		seen[n.Title]++
		e := exp[n.Title]
		switch {
		case e == nil:
			problems = append(problems, fmt.Sprintf("note %s %q exists but no write made it", n.ID, n.Title))
		case !e.must && !e.may:
			problems = append(problems, fmt.Sprintf("note %s %q was deleted (acknowledged) but is present", n.ID, n.Title))
		case n.Owner != e.owner:
			problems = append(problems, fmt.Sprintf("note %s %q belongs to %q, want %q", n.ID, n.Title, n.Owner, e.owner))
		case !slices.Contains(e.contents, n.Content):
			problems = append(problems, fmt.Sprintf("note %s %q holds %q, want the last acknowledged %q", n.ID, n.Title, n.Content, e.contents[0]))
		}
	}
	for title, c := range seen {
		if c > 1 {
			problems = append(problems, fmt.Sprintf("note %q is present %d times", title, c))
		}
	}
	for title, e := range exp {
		if e.must && seen[title] == 0 {
			problems = append(problems, fmt.Sprintf("note %q (acknowledged) is lost", title))
		}
	}
	slices.Sort(problems)
	return problems
}

// Acknowledged is the number of acknowledged writes (creates, updates and
// deletes).
func (r *Result) Acknowledged() int { return len(r.Written) + len(r.Deleted) }

// Summary describes the run in a few lines, for a test log.
func (r *Result) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "all: %s\n", &r.Latency)
	for _, k := range Kinds {
		if l := r.ByKind[k]; l.Count() > 0 {
			fmt.Fprintf(&b, "%-6s: %s\n", k, l)
		}
	}
	codes := make([]int, 0, len(r.Status))
	for c := range r.Status {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	fmt.Fprint(&b, "status:")
	for _, c := range codes {
		fmt.Fprintf(&b, " %d×%d", c, r.Status[c])
	}
	fmt.Fprintf(&b, "\nacknowledged: %d creates/updates, %d deletes; uncertain: %d; failed: %d",
		len(r.Written), len(r.Deleted), len(r.Uncertain), r.Failed)
	for _, f := range r.Failures {
		fmt.Fprintf(&b, "\n  %s", f)
	}
	return b.String()
}
