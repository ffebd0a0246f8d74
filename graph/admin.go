package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	guuid "github.com/google/uuid"
	graphql "github.com/hasura/go-graphql-client"
)

// WithAdminSecret returns a Client that sends x-hasura-admin-secret: it
// bypasses every permission, so only the admin console uses it.
func (c *Client) WithAdminSecret(secret string) *Client {
	n := &Client{url: c.url, hc: c.hc}
	n.gql = graphql.NewClient(c.url, c.hc).WithRequestModifier(func(r *http.Request) {
		r.Header.Set("X-Hasura-Admin-Secret", secret)
	})
	return n
}

// User is one row of auth.users as the admin console shows it.
type User struct {
	ID            string    `json:"id"`
	Email         string    `json:"email"`
	DisplayName   string    `json:"displayName"`
	EmailVerified bool      `json:"emailVerified"`
	Disabled      bool      `json:"disabled"`
	DefaultRole   string    `json:"defaultRole"`
	CreatedAt     time.Time `json:"-"`
	Roles         []string  `json:"-"`
}

type userRow struct {
	User
	Created timestamptz `json:"createdAt"`
	Roles   []struct {
		Role string `json:"role"`
	} `json:"roles"`
}

// exec runs a raw operation and decodes its data into out.
func (c *Client) exec(ctx context.Context, op, query string, vars map[string]any, out any) error {
	data, err := c.gql.ExecRaw(ctx, query, vars)
	if err != nil {
		return mapError(op, err)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
	}
	return nil
}

const userFields = `id email displayName emailVerified disabled defaultRole createdAt roles(order_by: {role: asc}) { role }`

// ListUsers returns up to MaxLimit users whose email or display name
// contains search, oldest first. It needs the admin secret.
func (c *Client) ListUsers(ctx context.Context, search string) ([]User, error) {
	where := map[string]any{}
	if s := strings.TrimSpace(search); s != "" {
		pat := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
		where = map[string]any{"_or": []any{
			map[string]any{"email": map[string]any{"_ilike": pat}},
			map[string]any{"displayName": map[string]any{"_ilike": pat}},
		}}
	}
	var out struct {
		Users []userRow `json:"users"`
	}
	q := `query($where: users_bool_exp!, $limit: Int!) { users(where: $where, order_by: [{createdAt: asc}, {id: asc}], limit: $limit) { ` + userFields + ` } }`
	if err := c.exec(ctx, "list users", q, map[string]any{"where": where, "limit": MaxLimit}, &out); err != nil {
		return nil, err
	}
	users := make([]User, 0, len(out.Users))
	for _, r := range out.Users {
		u := r.User
		u.CreatedAt = r.Created.Time
		for _, ro := range r.Roles {
			u.Roles = append(u.Roles, ro.Role)
		}
		users = append(users, u)
	}
	return users, nil
}

// ListRoles returns the roles of auth.roles.
func (c *Client) ListRoles(ctx context.Context) ([]string, error) {
	var out struct {
		Roles []struct {
			Role string `json:"role"`
		} `json:"authRoles"`
	}
	if err := c.exec(ctx, "list roles", `query { authRoles(order_by: {role: asc}) { role } }`, nil, &out); err != nil {
		return nil, err
	}
	roles := make([]string, 0, len(out.Roles))
	for _, r := range out.Roles {
		roles = append(roles, r.Role)
	}
	return roles, nil
}

// UserPatch is the change SetUser makes; nil fields stay as they are.
type UserPatch struct {
	EmailVerified *bool
	Disabled      *bool
}

// UpdateUser sets the patched columns of one user.
func (c *Client) UpdateUser(ctx context.Context, id string, p UserPatch) error {
	set := map[string]any{}
	if p.EmailVerified != nil {
		set["emailVerified"] = *p.EmailVerified
	}
	if p.Disabled != nil {
		set["disabled"] = *p.Disabled
	}
	var out struct {
		User *struct{ ID string } `json:"updateUser"`
	}
	q := `mutation($id: uuid!, $set: users_set_input!) { updateUser(pk_columns: {id: $id}, _set: $set) { id } }`
	if err := c.exec(ctx, "update user", q, map[string]any{"id": id, "set": set}, &out); err != nil {
		return err
	}
	if out.User == nil {
		return fmt.Errorf("update user %s: %w", id, ErrNotFound)
	}
	return nil
}

// SetUserRoles sets a user's default role and allowed roles in one
// mutation request (one transaction). The default role must be allowed.
func (c *Client) SetUserRoles(ctx context.Context, id, defaultRole string, allowed []string) error {
	objs := make([]map[string]any, 0, len(allowed))
	for _, r := range allowed {
		// The ids are made here: the SQLite auth schema has no default for them.
		objs = append(objs, map[string]any{"id": guuid.NewString(), "userId": id, "role": r})
	}
	var out struct {
		User *struct{ ID string } `json:"updateUser"`
	}
	q := `mutation($id: uuid!, $role: String!, $roles: [authUserRoles_insert_input!]!) {
  deleteAuthUserRoles(where: {userId: {_eq: $id}}) { affected_rows }
  insertAuthUserRoles(objects: $roles) { affected_rows }
  updateUser(pk_columns: {id: $id}, _set: {defaultRole: $role}) { id }
}`
	if err := c.exec(ctx, "set user roles", q, map[string]any{"id": id, "role": defaultRole, "roles": objs}, &out); err != nil {
		return err
	}
	if out.User == nil {
		return fmt.Errorf("set user roles %s: %w", id, ErrNotFound)
	}
	return nil
}

// DeleteUser deletes a user; their notes go with them (ON DELETE CASCADE).
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	var out struct {
		User *struct{ ID string } `json:"deleteUser"`
	}
	if err := c.exec(ctx, "delete user", `mutation($id: uuid!) { deleteUser(id: $id) { id } }`, map[string]any{"id": id}, &out); err != nil {
		return err
	}
	if out.User == nil {
		return fmt.Errorf("delete user %s: %w", id, ErrNotFound)
	}
	return nil
}

// AdminNote is a note with its owner, as the admin console lists it.
type AdminNote struct {
	ID       string `json:"id"`
	UserID   string `json:"user_id"`
	Title    string `json:"title"`
	Content  string `json:"content"`
	IsPublic bool   `json:"is_public"`
	User     *struct {
		Email string `json:"email"`
	} `json:"user"`
}

// ListAllNotes returns up to MaxLimit notes, newest first, of one user
// when userID is not empty, of everyone otherwise.
func (c *Client) ListAllNotes(ctx context.Context, userID string) ([]AdminNote, error) {
	where := map[string]any{}
	if userID != "" {
		where = map[string]any{"user_id": map[string]any{"_eq": userID}}
	}
	var out struct {
		Notes []AdminNote `json:"notes"`
	}
	q := `query($where: notes_bool_exp!, $limit: Int!) { notes(where: $where, order_by: [{created_at: desc}, {id: asc}], limit: $limit) { id user_id title content is_public user { email } } }`
	if err := c.exec(ctx, "list all notes", q, map[string]any{"where": where, "limit": MaxLimit}, &out); err != nil {
		return nil, err
	}
	return out.Notes, nil
}

// InsertNoteFor inserts a note owned by userID: the tutorial's "insert a
// row with the user id" step. It needs the admin secret.
func (c *Client) InsertNoteFor(ctx context.Context, userID string, in NoteInput) (string, error) {
	var out struct {
		Note *struct {
			ID string `json:"id"`
		} `json:"insert_notes_one"`
	}
	q := `mutation($o: notes_insert_input!) { insert_notes_one(object: $o) { id } }`
	obj := map[string]any{"user_id": userID, "title": in.Title, "content": in.Content, "is_public": in.IsPublic}
	if err := c.exec(ctx, "insert note for user", q, map[string]any{"o": obj}, &out); err != nil {
		return "", err
	}
	if out.Note == nil {
		return "", fmt.Errorf("insert note for user: %w", ErrForbidden)
	}
	return out.Note.ID, nil
}
