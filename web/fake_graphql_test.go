package web_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// graphql answers the five note operations the app sends, enforcing the
// `user` role's rule: only the caller's own rows exist.
func (f *fakeBackend) graphql(w http.ResponseWriter, r *http.Request, in map[string]any) {
	user := bearerUser(r.Header.Get("Authorization"))
	if user == "" || user == "jwtbad" {
		writeJSON(w, 200, map[string]any{"errors": []any{map[string]any{"message": "Could not verify JWT: JWTExpired", "extensions": map[string]any{"path": "$", "code": "invalid-jwt"}}}})
		return
	}
	q, _ := in["query"].(string)
	vars, _ := in["variables"].(map[string]any)
	own := func(id string) (fakeNote, bool) {
		n, ok := f.notes[id]
		return n, ok && n.UserID == user
	}
	data := map[string]any{}
	switch {
	case strings.Contains(q, "insert_notes_one"):
		obj, _ := vars["object"].(map[string]any)
		f.seq++
		n := fakeNote{ID: fmt.Sprintf("00000000-0000-0000-0000-%012d", f.seq), UserID: user}
		n.Title, _ = obj["title"].(string)
		n.Content, _ = obj["content"].(string)
		n.IsPublic, _ = obj["is_public"].(bool)
		f.notes[n.ID] = n
		data["insert_notes_one"] = noteJSON(n)
	case strings.Contains(q, "update_notes_by_pk"):
		pk, _ := vars["pk"].(map[string]any)
		set, _ := vars["set"].(map[string]any)
		id, _ := pk["id"].(string)
		n, ok := own(id)
		if !ok {
			data["update_notes_by_pk"] = nil
			break
		}
		n.Title, _ = set["title"].(string)
		n.Content, _ = set["content"].(string)
		n.IsPublic, _ = set["is_public"].(bool)
		f.notes[id] = n
		data["update_notes_by_pk"] = noteJSON(n)
	case strings.Contains(q, "delete_notes_by_pk"):
		id, _ := vars["id"].(string)
		if n, ok := own(id); ok {
			delete(f.notes, id)
			data["delete_notes_by_pk"] = map[string]any{"id": n.ID}
		} else {
			data["delete_notes_by_pk"] = nil
		}
	case strings.Contains(q, "notes_by_pk"):
		id, _ := vars["id"].(string)
		if n, ok := own(id); ok {
			data["notes_by_pk"] = noteJSON(n)
		} else {
			data["notes_by_pk"] = nil
		}
	default:
		var rows []fakeNote
		for _, n := range f.notes {
			if n.UserID == user {
				rows = append(rows, n)
			}
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i].ID > rows[j].ID })
		limit, _ := vars["limit"].(float64)
		offset, _ := vars["offset"].(float64)
		total := len(rows)
		rows = rows[min(int(offset), len(rows)):]
		rows = rows[:min(int(limit), len(rows))]
		list := []any{}
		for _, n := range rows {
			list = append(list, noteJSON(n))
		}
		data["notes"] = list
		data["notes_aggregate"] = map[string]any{"aggregate": map[string]any{"count": total}}
	}
	writeJSON(w, 200, map[string]any{"data": data})
}

func noteJSON(n fakeNote) map[string]any {
	return map[string]any{"id": n.ID, "title": n.Title, "content": n.Content, "is_public": n.IsPublic,
		"created_at": "2026-01-02T03:04:05+00:00", "updated_at": "2026-01-02T03:04:05.5+00:00"}
}

func bearerUser(h string) string {
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return ""
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		Sub string `json:"sub"`
	}
	_ = json.Unmarshal(b, &c)
	return c.Sub
}
