package loadgen

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// ErrNotAcknowledged is a write the app did not confirm: an unexpected
// status or redirect. The write may or may not have happened.
var ErrNotAcknowledged = errors.New("not acknowledged")

// User is one signed-in browser: a cookie jar holding the app's session
// and the session's CSRF token. Its methods are safe for concurrent use;
// the cookie jar is shared by its requests, as a browser's tabs share it.
type User struct {
	Credentials
	// Index is the user's position in Prepare's list.
	Index int

	client *http.Client
	csrf   string

	mu      sync.Mutex
	known   []*note          // notes whose id is known and that may be changed
	pending map[string]*note // acknowledged creates whose id is not seen yet, by title
}

// note is the generator's view of one note it created.
type note struct {
	id, title, content string
}

// Response is what the app answered to one request.
type Response struct {
	Status   int
	Location string // the Location header of a redirect
	Header   http.Header
	Body     []byte
}

// newTransport is shared by every user of a run, so connections are
// reused across users up to the concurrency.
func newTransport(conns int) *http.Transport {
	return &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

func newUser(c Credentials, index int, rt http.RoundTripper, timeout time.Duration) *User {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &User{
		Credentials: c,
		Index:       index,
		client: &http.Client{
			Transport:     rt,
			Jar:           jar,
			Timeout:       timeout,
			CheckRedirect: followResend,
		},
		pending: map[string]*note{},
	}
}

// followResend follows a 307, as a browser does on its own (the app asks
// for a resend after a refused token refresh), with the method and body.
// A browser would follow the 303 too; the generator reads it as the
// acknowledgement and sends the next request of the workload.
func followResend(req *http.Request, via []*http.Request) error {
	if req.Response != nil && req.Response.StatusCode == http.StatusTemporaryRedirect && len(via) < 3 {
		return nil
	}
	return http.ErrUseLastResponse
}

// Get sends GET base+path with the user's cookies.
func (u *User) Get(ctx context.Context, base, path string) (*Response, error) {
	return u.send(ctx, http.MethodGet, base+path, nil)
}

// Post sends a form to base+path with the user's cookies and CSRF token,
// as the page's own form would.
func (u *User) Post(ctx context.Context, base, path string, form url.Values) (*Response, error) {
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", u.csrf)
	return u.send(ctx, http.MethodPost, base+path, form)
}

func (u *User) send(ctx context.Context, method, target string, form url.Values) (*Response, error) {
	return Send(ctx, u.client, method, target, form)
}

// Send sends a request as a browser's page would (a form, if any, as
// application/x-www-form-urlencoded; Accept text/html) with hc and reads
// the whole answer.
func Send(ctx context.Context, hc *http.Client, method, target string, form url.Values) (*Response, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read body: %w", method, target, err)
	}
	return &Response{Status: res.StatusCode, Location: res.Header.Get("Location"), Header: res.Header, Body: b}, nil
}

// Redirected reports whether r is a 303 to path (ignoring a query).
func (r *Response) Redirected(path string) bool {
	loc, _, _ := strings.Cut(r.Location, "?")
	return r.Status == http.StatusSeeOther && loc == path
}

// String describes the response for a failure message.
func (r *Response) String() string {
	if r.Location != "" {
		return fmt.Sprintf("%d to %s", r.Status, r.Location)
	}
	return fmt.Sprintf("%d", r.Status)
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// readCSRF takes the session's CSRF token from a page's hidden input.
func (u *User) readCSRF(r *Response) error {
	m := csrfRE.FindSubmatch(r.Body)
	if m == nil {
		return fmt.Errorf("no _csrf input on the page (status %s)", r)
	}
	u.csrf = html.UnescapeString(string(m[1]))
	return nil
}

// CreateNote posts the notes page's create form; nil means the app
// acknowledged it with its 303 back to /notes.
func (u *User) CreateNote(ctx context.Context, base, title, content string) (*Response, error) {
	r, err := u.Post(ctx, base, "/notes", url.Values{"title": {title}, "content": {content}})
	if err != nil {
		return nil, err
	}
	if !r.Redirected("/notes") {
		return r, fmt.Errorf("create %q: %s: %w", title, r, ErrNotAcknowledged)
	}
	return r, nil
}

// UpdateNote posts the edit form of note id; nil means acknowledged (303
// to the note's page).
func (u *User) UpdateNote(ctx context.Context, base, id, title, content string) (*Response, error) {
	r, err := u.Post(ctx, base, "/notes/"+id, url.Values{"title": {title}, "content": {content}})
	if err != nil {
		return nil, err
	}
	if !r.Redirected("/notes/" + id) {
		return r, fmt.Errorf("update %s: %s: %w", id, r, ErrNotAcknowledged)
	}
	return r, nil
}

// DeleteNote posts the delete button of note id; nil means acknowledged
// (303 to /notes).
func (u *User) DeleteNote(ctx context.Context, base, id string) (*Response, error) {
	r, err := u.Post(ctx, base, "/notes/"+id+"/delete", nil)
	if err != nil {
		return nil, err
	}
	if !r.Redirected("/notes") {
		return r, fmt.Errorf("delete %s: %s: %w", id, r, ErrNotAcknowledged)
	}
	return r, nil
}

// ListNotes gets the first page of the user's notes; nil means a 200 page
// that shows the list.
func (u *User) ListNotes(ctx context.Context, base string) (*Response, []Card, error) {
	r, err := u.Get(ctx, base, "/notes")
	if err != nil {
		return nil, nil, err
	}
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `data-testid="note-list"`) {
		return r, nil, fmt.Errorf("list: %s: not the notes page", r)
	}
	return r, Cards(r.Body), nil
}

// Card is one note card of a list page.
type Card struct {
	ID, Title string
}

var cardRE = regexp.MustCompile(`data-testid="note-card" data-note-id="([0-9a-fA-F-]{36})"[\s\S]*?data-testid="note-title">([^<]*)<`)

// Cards reads the note cards (id and title) of a notes page.
func Cards(page []byte) []Card {
	var out []Card
	for _, m := range cardRE.FindAllSubmatch(page, -1) {
		out = append(out, Card{ID: string(m[1]), Title: html.UnescapeString(string(m[2]))})
	}
	return out
}
