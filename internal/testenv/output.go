package testenv

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"time"
)

// Output collects what a program under test prints (safe for concurrent
// writes from its stdout and stderr) and lets a test wait for a line.
type Output struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

// NewOutput returns an empty Output.
func NewOutput() *Output { return &Output{changed: make(chan struct{}, 1)} }

// Write appends p and wakes a waiting Wait.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n, err := o.buf.Write(p)
	select {
	case o.changed <- struct{}{}:
	default:
	}
	return n, err
}

// String returns everything written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// ErrExited is Wait's error when the program ended first.
var ErrExited = errors.New("program exited before it printed the line")

// Wait waits until the output matches re and returns re's first group.
// It gives up with ErrExited when exited is closed, or after timeout.
func (o *Output) Wait(re *regexp.Regexp, exited <-chan struct{}, timeout time.Duration) (string, error) {
	deadline := time.After(timeout)
	for {
		if m := re.FindStringSubmatch(o.String()); m != nil {
			return m[1], nil
		}
		select {
		case <-o.changed:
		case <-exited:
			if m := re.FindStringSubmatch(o.String()); m != nil {
				return m[1], nil
			}
			return "", ErrExited
		case <-deadline:
			return "", fmt.Errorf("no line matching %s after %s", re, timeout)
		}
	}
}
