package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
)

// TestPanicBecomesFriendly500 checks the recover middleware and the error
// handler: a panic answers a fixed 500 page with a reference, and the log
// line carries the request id while the page never shows the panic text.
func TestPanicBecomesFriendly500(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	h, err := New(Options{
		Logger:          slog.New(slog.NewTextHandler(&logs, nil)),
		PublicURL:       "http://127.0.0.1:8080",
		SessionHashKey:  bytes.Repeat([]byte("h"), 32),
		SessionBlockKey: bytes.Repeat([]byte("b"), 32),
		Auth:            auth.New("http://127.0.0.1:9/v1/auth", nil),
		GraphQLURL:      "http://127.0.0.1:9/v1/graphql",
	})
	if err != nil {
		t.Fatal(err)
	}
	h.(*echo.Echo).GET("/boom", func(echo.Context) error { panic("secret internals") })
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	body := rec.Body.String()
	if rec.Code != http.StatusInternalServerError || !strings.Contains(body, `data-testid="error-page"`) {
		t.Fatalf("status %d body %.300s", rec.Code, body)
	}
	if strings.Contains(body, "secret internals") {
		t.Fatal("panic text shown to the user")
	}
	id := rec.Header().Get(echo.HeaderXRequestID)
	if id == "" || !strings.Contains(body, id) || !strings.Contains(logs.String(), "request_id="+id) {
		t.Fatalf("request id %q missing from page or log:\n%s", id, logs.String())
	}
}
