package engine_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/notes-app/notes/internal/testenv"
)

func TestMetadataExport(t *testing.T) {
	e := mustNhostEngine(t, "sqlite", testenv.SQLiteURL(t))
	post := func(secret, body string) *httptest.ResponseRecorder {
		t.Helper()
		r := httptest.NewRequest(http.MethodPost, "/v1/metadata", strings.NewReader(body))
		if secret != "" {
			r.Header.Set("X-Hasura-Admin-Secret", secret)
		}
		w := httptest.NewRecorder()
		e.ServeMetadata(w, r)
		return w
	}
	for _, s := range []string{"", "wrong"} {
		if w := post(s, `{"type":"export_metadata","args":{}}`); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"access-denied"`) {
			t.Errorf("secret %q: %d %s", s, w.Code, w.Body)
		}
	}
	if w := post("s", `{"type":"replace_metadata","args":{}}`); w.Code != http.StatusBadRequest {
		t.Errorf("replace_metadata: %d", w.Code)
	}
	w := post("s", `{"type":"export_metadata","version":2,"args":{}}`)
	if w.Code != http.StatusOK {
		t.Fatalf("export: %d %s", w.Code, w.Body)
	}
	var md struct {
		Version int `json:"version"`
		Sources []struct {
			Tables []struct {
				Table struct {
					Schema string `json:"schema"`
					Name   string `json:"name"`
				} `json:"table"`
				Select []struct {
					Role       string `json:"role"`
					Permission struct {
						Columns []string       `json:"columns"`
						Filter  map[string]any `json:"filter"`
					} `json:"permission"`
				} `json:"select_permissions"`
				Insert []struct {
					Role       string `json:"role"`
					Permission struct {
						Set map[string]any `json:"set"`
					} `json:"permission"`
				} `json:"insert_permissions"`
			} `json:"tables"`
		} `json:"sources"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &md); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tb := range md.Sources[0].Tables {
		if tb.Table.Schema != "public" || tb.Table.Name != "notes" {
			continue
		}
		found = true
		roles := map[string]bool{}
		for _, p := range tb.Select {
			roles[p.Role] = true
			if p.Role == "user" && p.Permission.Filter["user_id"] == nil {
				t.Errorf("user filter = %v", p.Permission.Filter)
			}
		}
		if !roles["user"] || !roles["moderator"] || len(tb.Insert) != 1 || tb.Insert[0].Permission.Set["user_id"] == nil {
			t.Errorf("notes permissions = %+v", tb)
		}
	}
	if md.Version != 3 || !found {
		t.Fatalf("export = %s", w.Body)
	}
}
