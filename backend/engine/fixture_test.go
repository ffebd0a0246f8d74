package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/notes-app/notes/backend/engine"
	"github.com/notes-app/notes/backend/hasurajwt"
	"github.com/notes-app/notes/backend/store"
	"github.com/notes-app/notes/internal/testenv"
	"gopkg.in/yaml.v3"
)

// fixtureCase is one request/response pair in the style of Hasura's
// tests-py YAML files.
type fixtureCase struct {
	Description string            `yaml:"description"`
	Headers     map[string]string `yaml:"headers"`
	// JWT, when set, is signed as the Hasura claims of an access token.
	JWT        map[string]any `yaml:"jwt"`
	JWTExpired bool           `yaml:"jwt_expired"`
	// Anonymous sends no admin secret.
	Anonymous bool      `yaml:"anonymous"`
	Status    int       `yaml:"status"`
	Query     any       `yaml:"query"`
	Response  yaml.Node `yaml:"response"`
	// Dialects limits the case to some dialects (default: all).
	Dialects []string `yaml:"dialects"`
}

type fixtureConfig struct {
	AdminSecret      string `yaml:"admin_secret"`
	JWTSecret        string `yaml:"jwt_secret"`
	UnauthorizedRole string `yaml:"unauthorized_role"`
}

// TestFixtures runs every testdata/<fixture>/*.yaml file on SQLite and
// Postgres, each file against a fresh database.
func TestFixtures(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*/config.yaml")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, cfgPath := range dirs {
		dir := filepath.Dir(cfgPath)
		files, _ := filepath.Glob(filepath.Join(dir, "cases", "*.yaml"))
		for _, d := range testenv.Dialects() {
			for _, file := range files {
				name := filepath.Base(dir) + "/" + strings.TrimSuffix(filepath.Base(file), ".yaml") + "/" + d.Name
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					runFixtureFile(t, dir, file, d.Name, d.URL(t))
				})
			}
		}
	}
}

func mustReadYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func runFixtureFile(t *testing.T, dir, file, dialect, url string) {
	ctx := context.Background()
	var cfg fixtureConfig
	mustReadYAML(t, filepath.Join(dir, "config.yaml"), &cfg)
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	schemaSQL, err := os.ReadFile(filepath.Join(dir, "schema."+dialect+".sql"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, string(schemaSQL)); err != nil {
		t.Fatalf("schema: %v", err)
	}
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	eng, err := engine.New(ctx, engine.Options{
		DB: db, Metadata: os.DirFS(filepath.Join(dir, "metadata")),
		AdminSecret: cfg.AdminSecret, JWTSecret: cfg.JWTSecret, UnauthorizedRole: cfg.UnauthorizedRole,
		Now:    func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(testLog{t}, nil)),
	})
	if err != nil {
		t.Fatalf("engine.New: %v", err)
	}
	var jwtCfg *hasurajwt.Config
	if cfg.JWTSecret != "" {
		if jwtCfg, err = hasurajwt.Parse(cfg.JWTSecret); err != nil {
			t.Fatal(err)
		}
	}
	var cases []fixtureCase
	mustReadYAML(t, file, &cases)
	for i, c := range cases {
		if len(c.Dialects) > 0 && !contains(c.Dialects, dialect) {
			continue
		}
		headers := map[string]string{}
		for k, v := range c.Headers {
			headers[k] = v
		}
		if c.JWT != nil {
			exp := now.Add(time.Hour)
			if c.JWTExpired {
				exp = now.Add(-time.Minute)
			}
			tok, err := jwtCfg.Sign(jwt.MapClaims{"sub": "test", "iat": now.Add(-time.Minute).Unix(), "exp": exp.Unix(), hasurajwt.DefaultNamespace: c.JWT})
			if err != nil {
				t.Fatal(err)
			}
			headers["Authorization"] = "Bearer " + tok
		} else if !c.Anonymous && cfg.AdminSecret != "" {
			if _, ok := headers["X-Hasura-Admin-Secret"]; !ok {
				headers["X-Hasura-Admin-Secret"] = cfg.AdminSecret
			}
		}
		status, got := post(t, eng, headers, c.Query)
		want := c.Status
		if want == 0 {
			want = http.StatusOK
		}
		if status != want {
			t.Errorf("case %d (%s): status %d, want %d; body %s", i, c.Description, status, want, got)
		}
		var wantResp any
		if err := c.Response.Decode(&wantResp); err != nil {
			t.Fatal(err)
		}
		if diff := compareJSON(normalize(wantResp), got); diff != "" {
			t.Errorf("case %d (%s): %s\n got: %s", i, c.Description, diff, got)
		} else if d := keyOrderDiff(&c.Response, got); d != "" {
			t.Errorf("case %d (%s): key order: %s", i, c.Description, d)
		}
	}
}

// testLog sends the engine's log lines to the test's log.
type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// post sends body (a request object or a batch) to the engine.
func post(t testing.TB, h http.Handler, headers map[string]string, query any) (int, []byte) {
	t.Helper()
	body, err := json.Marshal(normalize(query))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/v1/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// normalize turns YAML-decoded values into JSON-shaped ones.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case map[any]any:
		out := map[string]any{}
		for k, e := range x {
			out[fmt.Sprint(k)] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	}
	return v
}

// compareJSON compares an expected value with a response body. Errors are
// compared without order; everything else exactly.
func compareJSON(want any, got []byte) string {
	var g any
	if err := json.Unmarshal(got, &g); err != nil {
		return "response is not JSON: " + err.Error()
	}
	wb, _ := json.Marshal(want)
	var w any
	_ = json.Unmarshal(wb, &w)
	if reflect.DeepEqual(sortErrors(w), sortErrors(g)) {
		return ""
	}
	return "want: " + string(wb)
}

func sortErrors(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if errs, ok := x["errors"].([]any); ok {
			sort.Slice(errs, func(i, j int) bool { return fmt.Sprint(errs[i]) < fmt.Sprint(errs[j]) })
		}
	case []any:
		for _, e := range x {
			sortErrors(e)
		}
	}
	return v
}
