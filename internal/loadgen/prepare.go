package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// prepareConcurrency bounds parallel sign-ups: each runs bcrypt once, and
// the auth server refuses a queue deeper than its own bound.
const prepareConcurrency = 4

// Prepare signs every user in through the app's forms, signing them up
// first when the account does not exist yet. The app must not require a
// verified email for sign-in (AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED=false).
// The users' requests go to cfg.Targets round-robin.
func Prepare(ctx context.Context, cfg Config, creds []Credentials) ([]*User, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	rt := newTransport(cfg.Concurrency)
	users := make([]*User, len(creds))
	for i, c := range creds {
		users[i] = newUser(c, i, rt, cfg.Timeout)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, prepareConcurrency)
	)
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := u.SignIn(ctx, cfg.Targets[i%len(cfg.Targets)]); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", u.Email, err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, fmt.Errorf("loadgen: prepare %d of %d users failed: %w", len(errs), len(users), errors.Join(errs...))
	}
	return users, nil
}

// SignIn signs the user up through /sign-up, or in through /sign-in when
// the account exists, then reads the signed-in session's CSRF token from
// /notes. A busy auth server (429) is retried after a pause.
func (u *User) SignIn(ctx context.Context, base string) error {
	form := url.Values{"email": {u.Email}, "password": {u.Password}}
	for _, page := range []string{"/sign-up", "/sign-in"} {
		for attempt := 0; ; attempt++ {
			r, err := u.Get(ctx, base, page)
			if err != nil {
				return err
			}
			if err := u.readCSRF(r); err != nil {
				return fmt.Errorf("GET %s: %w", page, err)
			}
			if r, err = u.Post(ctx, base, page, form); err != nil {
				return err
			}
			body := string(r.Body)
			switch {
			case r.Redirected("/notes"):
				return u.readSession(ctx, base)
			case r.Status == http.StatusTooManyRequests && attempt < 20:
				if err := pause(ctx, 250*time.Millisecond); err != nil {
					return err
				}
				continue
			case page == "/sign-up" && r.Status == http.StatusUnprocessableEntity && strings.Contains(body, "already exists"):
				// Signed up by an earlier run: sign in instead.
			case strings.Contains(body, "Check your email"):
				return errors.New("the app requires a verified email; start it with AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED=false")
			default:
				return fmt.Errorf("POST %s: %s", page, r)
			}
			break
		}
	}
	return errors.New("neither sign-up nor sign-in worked")
}

// readSession loads /notes and keeps the signed-in session's CSRF token.
func (u *User) readSession(ctx context.Context, base string) error {
	r, err := u.Get(ctx, base, "/notes")
	if err != nil {
		return err
	}
	if r.Status != http.StatusOK {
		return fmt.Errorf("GET /notes after sign-in: %s", r)
	}
	return u.readCSRF(r)
}

func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
