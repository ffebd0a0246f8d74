package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// Permission is one role's permission for one operation on one table, as
// Hasura's metadata states it.
type Permission struct {
	Role      string
	Operation string // select, insert, update or delete
	Columns   []string
	// Filter is the row filter (select, update, delete), Check the row
	// check (insert, update), Set the column presets, all as JSON.
	Filter            string
	Check             string
	Set               string
	AllowAggregations bool
	Comment           string
}

// TablePermissions is one tracked table (or view) and its permissions.
type TablePermissions struct {
	Schema      string
	Name        string
	Permissions []Permission
}

// MetadataURL returns the Hasura metadata API beside the GraphQL endpoint
// (…/v1/graphql -> …/v1/metadata).
func (c *Client) MetadataURL() string {
	return strings.TrimSuffix(c.url, "/graphql") + "/metadata"
}

type mdPermission struct {
	Role       string `json:"role"`
	Comment    string `json:"comment"`
	Permission struct {
		Columns           any  `json:"columns"`
		Filter            any  `json:"filter"`
		Check             any  `json:"check"`
		Set               any  `json:"set"`
		AllowAggregations bool `json:"allow_aggregations"`
	} `json:"permission"`
}

// Permissions reads every table's permissions with Hasura's
// export_metadata, which needs the admin secret.
func (c *Client) Permissions(ctx context.Context, adminSecret string) ([]TablePermissions, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.MetadataURL(),
		strings.NewReader(`{"type":"export_metadata","version":1,"args":{}}`))
	if err != nil {
		return nil, fmt.Errorf("export metadata: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hasura-Admin-Secret", adminSecret)
	res, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("export metadata: %w: %w", ErrUnavailable, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("export metadata: %w: %w", ErrUnavailable, err)
	}
	if res.StatusCode != http.StatusOK {
		var e struct {
			Code  string `json:"code"`
			Error string `json:"error"`
		}
		_ = json.Unmarshal(body, &e)
		if e.Code == "access-denied" {
			return nil, fmt.Errorf("export metadata: %w: %s", ErrForbidden, e.Error)
		}
		return nil, fmt.Errorf("export metadata: %w: status %d %s", ErrUnavailable, res.StatusCode, e.Error)
	}
	var md struct {
		Sources []struct {
			Tables []struct {
				Table struct {
					Schema string `json:"schema"`
					Name   string `json:"name"`
				} `json:"table"`
				Select []mdPermission `json:"select_permissions"`
				Insert []mdPermission `json:"insert_permissions"`
				Update []mdPermission `json:"update_permissions"`
				Delete []mdPermission `json:"delete_permissions"`
			} `json:"tables"`
		} `json:"sources"`
	}
	if err := json.Unmarshal(body, &md); err != nil {
		return nil, fmt.Errorf("export metadata: %w: %w", ErrUnavailable, err)
	}
	var out []TablePermissions
	for _, s := range md.Sources {
		for _, t := range s.Tables {
			tp := TablePermissions{Schema: t.Table.Schema, Name: t.Table.Name}
			for _, op := range []struct {
				name  string
				perms []mdPermission
			}{{"select", t.Select}, {"insert", t.Insert}, {"update", t.Update}, {"delete", t.Delete}} {
				for _, p := range op.perms {
					tp.Permissions = append(tp.Permissions, Permission{
						Role: p.Role, Operation: op.name, Columns: columnList(p.Permission.Columns),
						Filter: compactJSON(p.Permission.Filter), Check: compactJSON(p.Permission.Check),
						Set: compactJSON(p.Permission.Set), AllowAggregations: p.Permission.AllowAggregations,
						Comment: p.Comment,
					})
				}
			}
			out = append(out, tp)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Schema+"."+out[i].Name < out[j].Schema+"."+out[j].Name
	})
	return out, nil
}

func columnList(v any) []string {
	switch c := v.(type) {
	case string:
		return []string{c}
	case []any:
		out := make([]string, 0, len(c))
		for _, x := range c {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func compactJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var buf bytes.Buffer
	if json.Compact(&buf, b) != nil {
		return string(b)
	}
	return buf.String()
}
