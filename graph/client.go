// Package graph holds the app's typed note operations over the Hasura
// GraphQL API (github.com/hasura/go-graphql-client), sent with the user's
// access token. The app has no SQL: Hasura's permissions decide what each
// role sees. It imports nothing of the app.
package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sync"

	graphql "github.com/hasura/go-graphql-client"
)

// Client sends GraphQL operations to one endpoint. The zero-token Client
// from New sends no Authorization header (the unauthorized role); WithToken
// returns a Client acting for a signed-in user.
type Client struct {
	url  string
	hc   *http.Client
	gql  *graphql.Client
	auth string
	role string
}

// New returns a Client for the GraphQL endpoint at url (for example
// https://<sub>.graphql.<region>.nhost.run/v1). A nil hc means
// http.DefaultClient.
func New(url string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := &Client{url: url, hc: hc}
	c.gql = graphql.NewClient(url, hc)
	return c
}

// WithToken returns a Client that sends accessToken as a Bearer token and,
// when role is not empty, asks for that role with x-hasura-role.
func (c *Client) WithToken(accessToken, role string) *Client {
	n := &Client{url: c.url, hc: c.hc, auth: accessToken, role: role}
	n.gql = graphql.NewClient(c.url, c.hc).WithRequestModifier(func(r *http.Request) {
		if n.auth != "" {
			r.Header.Set("Authorization", "Bearer "+n.auth)
		}
		if n.role != "" {
			r.Header.Set("X-Hasura-Role", n.role)
		}
	})
	return n
}

// query sends the query built from q's graphql tags and decodes the
// answer's data into q in one pass with encoding/json, so q's fields need
// json tags naming the response keys. go-graphql-client's Query reads the
// answer twice, the second time token by token with reflection: on a notes
// page of 20 notes that took more CPU than the GraphQL engine and the
// database together. Errors are those Query gives (Hasura's errors as
// graphql.Errors) or already carry a sentinel (401, other statuses, the
// transport).
func (c *Client) query(ctx context.Context, q any, vars map[string]any) error {
	query, err := queryText(q, vars)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	body, err := json.Marshal(graphql.GraphQLRequestPayload{Query: query, Variables: vars})
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.auth != "" {
		req.Header.Set("Authorization", "Bearer "+c.auth)
	}
	if c.role != "" {
		req.Header.Set("X-Hasura-Role", c.role)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("%w: %s", ErrUnauthenticated, res.Status)
	case res.StatusCode != http.StatusOK:
		return fmt.Errorf("%w: %s", ErrUnavailable, res.Status)
	}
	out := struct {
		Data   any            `json:"data"`
		Errors graphql.Errors `json:"errors"`
	}{Data: q}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return fmt.Errorf("%w: decode answer: %w", ErrUnavailable, err)
	}
	if len(out.Errors) > 0 {
		return out.Errors
	}
	return nil
}

// queryTexts caches the query text built from each result type.
var queryTexts sync.Map // reflect.Type -> string

// queryText returns the query go-graphql-client builds from q's type and
// the variables' types, built once per type: building it walks the struct
// with reflection on every request otherwise. Each type is used with one
// set of variables (one call site), so its text never changes.
func queryText(q any, vars map[string]any) (string, error) {
	t := reflect.TypeOf(q)
	if s, ok := queryTexts.Load(t); ok {
		return s.(string), nil
	}
	s, err := graphql.ConstructQuery(q, vars)
	if err != nil {
		return "", err
	}
	queryTexts.Store(t, s)
	return s, nil
}
