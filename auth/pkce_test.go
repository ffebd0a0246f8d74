package auth_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/notes-app/notes/auth"
)

func TestFlows(t *testing.T) {
	var s auth.State
	id, challenge := s.StartFlow()
	if len(challenge) != 43 || id == "" {
		t.Fatalf("flow %q, challenge %q", id, challenge)
	}
	verifier, ok := s.TakeFlow(id)
	if !ok || auth.CodeChallenge(verifier) != challenge || len(verifier) < 43 {
		t.Fatalf("TakeFlow = %q, %v", verifier, ok)
	}
	if _, ok := s.TakeFlow(id); ok {
		t.Fatal("a flow was taken twice")
	}
	if _, ok := s.TakeFlow(""); ok {
		t.Fatal("the empty flow id matched")
	}
	first, _ := s.StartFlow()
	for range 3 {
		s.StartFlow()
	}
	if len(s.Flows) != 3 {
		t.Fatalf("%d flows kept, want 3", len(s.Flows))
	}
	if _, ok := s.TakeFlow(first); ok {
		t.Fatal("the oldest flow was kept past the bound")
	}
}

// TestExchangeCodeErrors: an old Nhost Auth without /token/exchange is a
// clear error of its own, never a silent fall-back; a refused code is
// invalid input.
func TestExchangeCodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"no such endpoint", http.StatusNotFound, `404 page not found`, auth.ErrPKCEUnsupported},
		{"refused code", http.StatusBadRequest, `{"status":400,"message":"The request payload is incorrect","error":"invalid-request"}`, auth.ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustAuth(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/v1/token/exchange" || r.Method != http.MethodPost {
					t.Errorf("%s %s", r.Method, r.URL.Path)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			_, err := c.ExchangeCode(context.Background(), "code", "verifier")
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
