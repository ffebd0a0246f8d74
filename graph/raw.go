package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Identity is who a raw request speaks as: nobody (the unauthorized
// role), a signed-in user with a role, or the admin secret.
type Identity struct {
	Token       string
	Role        string
	AdminSecret string
}

// Header is one request header as sent.
type Header struct{ Name, Value string }

// RawResult is a request exactly as sent and the answer as received.
type RawResult struct {
	URL     string
	Headers []Header
	Body    []byte
	Status  int
	Answer  []byte
}

// maxAnswer bounds the answer a raw request reads.
const maxAnswer = 1 << 20

// Raw sends one GraphQL request as id, with the query and variables as
// given, and returns it with the answer; Hasura's errors are in the answer,
// not the error (which means the endpoint could not be reached).
func (c *Client) Raw(ctx context.Context, id Identity, query string, variables map[string]any) (RawResult, error) {
	body := map[string]any{"query": query}
	if len(variables) > 0 {
		body["variables"] = variables
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return RawResult{}, fmt.Errorf("raw request: %w: %w", ErrInvalid, err)
	}
	res := RawResult{URL: c.url, Body: raw, Headers: []Header{{"Content-Type", "application/json"}}}
	if id.AdminSecret != "" {
		res.Headers = append(res.Headers, Header{"X-Hasura-Admin-Secret", id.AdminSecret})
	}
	if id.Token != "" {
		res.Headers = append(res.Headers, Header{"Authorization", "Bearer " + id.Token})
	}
	if id.Role != "" {
		res.Headers = append(res.Headers, Header{"X-Hasura-Role", id.Role})
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(raw))
	if err != nil {
		return res, fmt.Errorf("raw request: %w", err)
	}
	for _, h := range res.Headers {
		req.Header.Set(h.Name, h.Value)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return res, fmt.Errorf("raw request: %w: %w", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	res.Status = resp.StatusCode
	if res.Answer, err = io.ReadAll(io.LimitReader(resp.Body, maxAnswer)); err != nil {
		return res, fmt.Errorf("raw request: %w: %w", ErrUnavailable, err)
	}
	return res, nil
}

// RootFields lists the query and mutation root fields id's schema has,
// from introspection: each role has its own schema.
func (c *Client) RootFields(ctx context.Context, id Identity) (queries, mutations []string, err error) {
	r, err := c.Raw(ctx, id, `{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`, nil)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Data struct {
			Schema struct {
				QueryType *struct {
					Fields []struct{ Name string } `json:"fields"`
				} `json:"queryType"`
				MutationType *struct {
					Fields []struct{ Name string } `json:"fields"`
				} `json:"mutationType"`
			} `json:"__schema"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.Answer, &out); err != nil {
		return nil, nil, fmt.Errorf("root fields: %w: %w", ErrUnavailable, err)
	}
	if q := out.Data.Schema.QueryType; q != nil {
		for _, f := range q.Fields {
			queries = append(queries, f.Name)
		}
	}
	if m := out.Data.Schema.MutationType; m != nil {
		for _, f := range m.Fields {
			mutations = append(mutations, f.Name)
		}
	}
	return queries, mutations, nil
}
