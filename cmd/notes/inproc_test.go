package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestInprocTransportServesWithoutASocket(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Path", r.URL.Path)
		w.Header().Set("X-Peer", r.RemoteAddr)
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, strings.ToUpper(string(body))+" "+r.Header.Get("Authorization"))
	})
	c := &http.Client{Transport: inprocTransport{handler: h}}
	req, _ := http.NewRequest("POST", "http://app.invalid/v1/graphql?x=1", strings.NewReader("hello"))
	req.Header.Set("Authorization", "Bearer t")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated || string(body) != "HELLO Bearer t" || res.Header.Get("X-Path") != "/v1/graphql" {
		t.Fatalf("got %d %q %v", res.StatusCode, body, res.Header)
	}
	if res.Header.Get("X-Peer") != "127.0.0.1:0" {
		t.Fatalf("peer = %q, want loopback", res.Header.Get("X-Peer"))
	}
}

func TestInprocTransportHonoursCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://app.invalid/", nil)
	_, err := (&http.Client{Transport: inprocTransport{handler: http.NotFoundHandler()}}).Do(req)
	if err == nil {
		t.Fatal("cancelled request served")
	}
}
