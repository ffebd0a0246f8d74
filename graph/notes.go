package graph

import (
	"context"
	"fmt"
	"strings"
)

// MaxLimit caps the page size ListNotes asks for.
const MaxLimit = 100

// ListNotes returns a page of the notes the role may see, filtered by a
// case-insensitive search in title and content, with the total count.
func (c *Client) ListNotes(ctx context.Context, p ListParams) (NotePage, error) {
	var q struct {
		Notes     []Note `graphql:"notes(where: $where, order_by: $order_by, limit: $limit, offset: $offset)" json:"notes"`
		Aggregate struct {
			Aggregate struct {
				Count int `graphql:"count" json:"count"`
			} `graphql:"aggregate" json:"aggregate"`
		} `graphql:"notes_aggregate(where: $where)" json:"notes_aggregate"`
	}
	limit := p.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = MaxLimit
	}
	vars := map[string]any{
		"where":    searchFilter(p.Search),
		"order_by": orderBy(p.Sort),
		"limit":    limit,
		"offset":   max(p.Offset, 0),
	}
	if err := c.query(ctx, &q, vars); err != nil {
		return NotePage{}, mapError("list notes", err)
	}
	return NotePage{Notes: q.Notes, Total: q.Aggregate.Aggregate.Count}, nil
}

// searchFilter matches search in title or content with _ilike, escaping
// the LIKE wildcards the user typed.
func searchFilter(search string) notesBoolExp {
	search = strings.TrimSpace(search)
	if search == "" {
		return notesBoolExp{}
	}
	pat := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(search) + "%"
	return notesBoolExp{"_or": []any{
		map[string]any{"title": map[string]any{"_ilike": pat}},
		map[string]any{"content": map[string]any{"_ilike": pat}},
	}}
}

func orderBy(s Sort) []notesOrderBy {
	switch s {
	case SortCreated:
		return []notesOrderBy{{"created_at": "desc"}, {"id": "asc"}}
	case SortTitle:
		return []notesOrderBy{{"title": "asc"}, {"id": "asc"}}
	default:
		return []notesOrderBy{{"updated_at": "desc"}, {"id": "asc"}}
	}
}

// GetNote returns one note; ErrNotFound when the role cannot see it.
func (c *Client) GetNote(ctx context.Context, id string) (Note, error) {
	var q struct {
		Note *Note `graphql:"notes_by_pk(id: $id)"`
	}
	if err := c.gql.Query(ctx, &q, map[string]any{"id": uuid(id)}); err != nil {
		return Note{}, mapError("get note", err)
	}
	if q.Note == nil {
		return Note{}, fmt.Errorf("get note %s: %w", id, ErrNotFound)
	}
	return *q.Note, nil
}

// CreateNote inserts a note owned by the signed-in user (the permission
// presets user_id from X-Hasura-User-Id).
func (c *Client) CreateNote(ctx context.Context, in NoteInput) (Note, error) {
	var m struct {
		Note *Note `graphql:"insert_notes_one(object: $object)"`
	}
	obj := notesInsert{"title": in.Title, "content": in.Content, "is_public": in.IsPublic}
	if err := c.gql.Mutate(ctx, &m, map[string]any{"object": obj}); err != nil {
		return Note{}, mapError("create note", err)
	}
	if m.Note == nil {
		return Note{}, fmt.Errorf("create note: %w", ErrForbidden)
	}
	return *m.Note, nil
}

// UpdateNote sets title, content and is_public of a note; ErrNotFound when
// the role cannot see or change it.
func (c *Client) UpdateNote(ctx context.Context, id string, in NoteInput) (Note, error) {
	var m struct {
		Note *Note `graphql:"update_notes_by_pk(pk_columns: $pk, _set: $set)"`
	}
	vars := map[string]any{
		"pk":  notesPK{"id": id},
		"set": notesSet{"title": in.Title, "content": in.Content, "is_public": in.IsPublic},
	}
	if err := c.gql.Mutate(ctx, &m, vars); err != nil {
		return Note{}, mapError("update note", err)
	}
	if m.Note == nil {
		return Note{}, fmt.Errorf("update note %s: %w", id, ErrNotFound)
	}
	return *m.Note, nil
}

// DeleteNote deletes a note; ErrNotFound when the role cannot see or delete it.
func (c *Client) DeleteNote(ctx context.Context, id string) error {
	var m struct {
		Note *struct {
			ID string `graphql:"id"`
		} `graphql:"delete_notes_by_pk(id: $id)"`
	}
	if err := c.gql.Mutate(ctx, &m, map[string]any{"id": uuid(id)}); err != nil {
		return mapError("delete note", err)
	}
	if m.Note == nil {
		return fmt.Errorf("delete note %s: %w", id, ErrNotFound)
	}
	return nil
}
