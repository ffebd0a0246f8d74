package auth

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrSessionExpired means the refresh token is dead (expired, revoked or
// rotated elsewhere): the state has been signed out and the user should be
// told to sign in again. It wraps ErrUnauthenticated.
var ErrSessionExpired = fmt.Errorf("%w: session expired", ErrUnauthenticated)

// reuseWindow is how long a refresh result is shared with concurrent
// requests that still carry the old refresh token (parallel HTMX requests
// from one page race otherwise, and the loser would be signed out).
const reuseWindow = 30 * time.Second

type refreshCall struct {
	done chan struct{}
	sess Session
	err  error
	at   time.Time
}

// Ensure refreshes s when its access token expires within RefreshMargin and
// reports whether s changed (the caller saves the cookie). A refused
// refresh token is tolerated while the access token is still valid (a
// concurrent request may have rotated it); after that it signs s out and
// returns ErrSessionExpired. A service failure leaves s as it was and
// returns an error wrapping ErrUnavailable.
func (c *Client) Ensure(ctx context.Context, s *State, now time.Time) (bool, error) {
	if !s.NeedsRefresh(now) {
		return false, nil
	}
	sess, err := c.refreshShared(ctx, s.RefreshToken, now)
	if errors.Is(err, ErrUnauthenticated) && now.Before(s.ExpiresAt) {
		// Another request (a second tab, another app instance) probably
		// rotated the token first and its cookie is on its way; the access
		// token still works until it expires.
		return false, nil
	}
	if errors.Is(err, ErrUnauthenticated) || errors.Is(err, ErrUnverified) || errors.Is(err, ErrDisabled) {
		s.SignOut()
		return true, fmt.Errorf("%w: %w", ErrSessionExpired, err)
	}
	if err != nil {
		return false, err
	}
	s.Refreshed(sess, now)
	return true, nil
}

// refreshShared calls RefreshToken once per refresh token, sharing the
// result with concurrent and shortly following callers.
func (c *Client) refreshShared(ctx context.Context, token string, now time.Time) (Session, error) {
	c.mu.Lock()
	for k, call := range c.inflight {
		select {
		case <-call.done:
			if now.Sub(call.at) > reuseWindow {
				delete(c.inflight, k)
			}
		default:
		}
	}
	call, ok := c.inflight[token]
	if !ok {
		call = &refreshCall{done: make(chan struct{}), at: now}
		c.inflight[token] = call
		c.mu.Unlock()
		call.sess, call.err = c.RefreshToken(context.WithoutCancel(ctx), token)
		if call.err != nil && !errors.Is(call.err, ErrUnauthenticated) {
			c.mu.Lock()
			delete(c.inflight, token)
			c.mu.Unlock()
		}
		close(call.done)
		return call.sess, call.err
	}
	c.mu.Unlock()
	select {
	case <-call.done:
		return call.sess, call.err
	case <-ctx.Done():
		return Session{}, ctx.Err()
	}
}

// forget drops the shared refresh results that lead to or from
// refreshToken, so a session signed out here is not handed on from the
// reuse window to a request still carrying its older refresh token.
func (c *Client) forget(refreshToken string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, call := range c.inflight {
		select {
		case <-call.done:
			if k == refreshToken || call.sess.RefreshToken == refreshToken {
				delete(c.inflight, k)
			}
		default:
		}
	}
}
