package static_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/notes-app/notes/static"
)

func TestHashedPaths(t *testing.T) {
	h := static.Handler()
	for _, name := range []string{"css/app.css", "js/htmx.min.js", "js/app.js"} {
		p := static.Path(name)
		if p == static.Prefix+name || !strings.HasPrefix(p, static.Prefix) {
			t.Fatalf("Path(%q) = %q, want a hashed path", name, p)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Fatalf("GET %s = %d", p, rec.Code)
		}
		if got := rec.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s Cache-Control = %q", p, got)
		}
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, static.Prefix+name, nil))
		if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("unhashed %s = %d %q", name, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, static.Prefix+"css/", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("directory listing: %d", rec.Code)
	}
}
