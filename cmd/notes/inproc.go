package main

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// inprocTransport is an http.RoundTripper that serves requests with an
// in-process handler instead of a socket. In standalone mode the app's auth
// and GraphQL clients use it to reach the embedded backend, so the very same
// client code runs against a remote Nhost project and against this binary.
type inprocTransport struct {
	handler http.Handler
}

// RoundTrip runs the handler on a copy of the request and returns what it
// wrote. The request's context, headers and body pass through unchanged;
// the peer address is loopback, as it would be over a local socket.
func (t inprocTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:0"
	if in.Body == nil {
		in.Body = http.NoBody
	}
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	rec := &recorder{header: http.Header{}}
	t.handler.ServeHTTP(rec, in)
	if req.Body != nil {
		req.Body.Close()
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	res := &http.Response{
		Status:        strconv.Itoa(rec.status) + " " + http.StatusText(rec.status),
		StatusCode:    rec.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rec.header,
		Body:          io.NopCloser(bytes.NewReader(rec.body.Bytes())),
		ContentLength: int64(rec.body.Len()),
		Request:       req,
	}
	return res, nil
}

// recorder is the smallest http.ResponseWriter that keeps what a handler
// writes for inprocTransport.
type recorder struct {
	header      http.Header
	status      int
	body        bytes.Buffer
	wroteHeader bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.wroteHeader {
		return
	}
	r.wroteHeader = true
	r.status = code
	r.header = r.header.Clone()
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wroteHeader {
		r.WriteHeader(http.StatusOK)
	}
	return r.body.Write(b)
}

// Flush is a no-op: the whole response is returned when the handler ends.
func (r *recorder) Flush() {}
