// Package graph holds the app's typed note operations over the Hasura
// GraphQL API (github.com/hasura/go-graphql-client), sent with the user's
// access token. The app has no SQL: Hasura's permissions decide what each
// role sees. It imports nothing of the app.
package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

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

// query sends the query built from q's graphql tags, like gql.Query, but
// decodes the data into q with encoding/json, so q's fields need json tags
// naming the response keys. go-graphql-client's own decoder reads the
// response token by token with reflection: on a notes page of 20 notes it
// took more CPU than the GraphQL engine and the database together.
func (c *Client) query(ctx context.Context, q any, vars map[string]any) error {
	data, err := c.gql.QueryRaw(ctx, q, vars)
	if err != nil {
		return err
	}
	if len(data) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, q); err != nil {
		return fmt.Errorf("decode data: %w", err)
	}
	return nil
}
