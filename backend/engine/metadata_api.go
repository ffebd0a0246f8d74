package engine

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"gopkg.in/yaml.v3"

	"github.com/notes-app/notes/backend/internal/metadata"
)

// ServeMetadata answers POST /v1/metadata as Hasura's metadata API does,
// for {"type": "export_metadata"} only: the loaded metadata as JSON
// (version 3, sources with their tables, relationships and permissions).
// It needs the admin secret; the admin console reads its permission
// matrix from it.
func (e *Engine) ServeMetadata(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeMetadataError(w, http.StatusMethodNotAllowed, "bad-request", "only POST is supported")
		return
	}
	secret := r.Header.Get("X-Hasura-Admin-Secret")
	if e.opts.AdminSecret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(e.opts.AdminSecret)) != 1 {
		writeMetadataError(w, http.StatusBadRequest, "access-denied", "restricted access : admin only")
		return
	}
	var req struct {
		Type string `json:"type"`
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<16))
	if err != nil || json.Unmarshal(body, &req) != nil {
		writeMetadataError(w, http.StatusBadRequest, "parse-failed", "Error in $: could not parse the request")
		return
	}
	if req.Type != "export_metadata" {
		writeMetadataError(w, http.StatusBadRequest, "not-supported", fmt.Sprintf("unknown metadata command %q", req.Type))
		return
	}
	out, err := exportMetadata(e.state.Load().md)
	if err != nil {
		writeMetadataError(w, http.StatusInternalServerError, "unexpected", "could not export the metadata")
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// exportMetadata renders md in Hasura's export_metadata shape. The tables
// go through YAML so each key keeps the spelling of the metadata files.
func exportMetadata(md *metadata.Metadata) ([]byte, error) {
	type source struct {
		Name   string `json:"name"`
		Kind   string `json:"kind"`
		Tables []any  `json:"tables"`
	}
	doc := struct {
		Version int      `json:"version"`
		Sources []source `json:"sources"`
	}{Version: 3, Sources: []source{}}
	for _, s := range md.Sources {
		src := source{Name: s.Name, Kind: s.Kind, Tables: []any{}}
		for _, t := range s.Tables {
			raw, err := yaml.Marshal(t)
			if err != nil {
				return nil, fmt.Errorf("export %s: %w", t.Table, err)
			}
			var v any
			if err := yaml.Unmarshal(raw, &v); err != nil {
				return nil, fmt.Errorf("export %s: %w", t.Table, err)
			}
			src.Tables = append(src.Tables, v)
		}
		doc.Sources = append(doc.Sources, src)
	}
	return json.Marshal(doc)
}

func writeMetadataError(w http.ResponseWriter, status int, code, msg string) {
	b, _ := json.Marshal(map[string]string{"path": "$", "error": msg, "code": code})
	writeJSON(w, status, b)
}
