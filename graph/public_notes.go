package graph

import (
	"context"
	"fmt"
	"time"
)

// PublicNote is one row of the public_notes view: a note its author made
// public, without the author.
type PublicNote struct {
	ID        string      `graphql:"id"`
	Title     string      `graphql:"title"`
	Content   string      `graphql:"content"`
	CreatedAt timestamptz `graphql:"created_at"`
	UpdatedAt timestamptz `graphql:"updated_at"`
}

// Updated returns when the note was last changed.
func (n PublicNote) Updated() time.Time { return n.UpdatedAt.Time }

// Created returns when the note was created.
func (n PublicNote) Created() time.Time { return n.CreatedAt.Time }

// PublicNotePage is one page of public notes and the total count.
type PublicNotePage struct {
	Notes []PublicNote
	Total int
}

type publicNotesBoolExp map[string]any
type publicNotesOrderBy map[string]any

func (publicNotesBoolExp) GetGraphQLType() string { return "public_notes_bool_exp" }
func (publicNotesOrderBy) GetGraphQLType() string { return "public_notes_order_by" }

// ListPublicNotes returns a page of public notes. It works with any role
// that may select public_notes, the unauthorized role included.
func (c *Client) ListPublicNotes(ctx context.Context, p ListParams) (PublicNotePage, error) {
	var q struct {
		Notes     []PublicNote `graphql:"public_notes(where: $where, order_by: $order_by, limit: $limit, offset: $offset)"`
		Aggregate struct {
			Aggregate struct {
				Count int `graphql:"count"`
			} `graphql:"aggregate"`
		} `graphql:"public_notes_aggregate(where: $where)"`
	}
	limit := p.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = MaxLimit
	}
	order := make([]publicNotesOrderBy, 0, 2)
	for _, o := range orderBy(p.Sort) {
		order = append(order, publicNotesOrderBy(o))
	}
	vars := map[string]any{
		"where":    publicNotesBoolExp(searchFilter(p.Search)),
		"order_by": order,
		"limit":    limit,
		"offset":   max(p.Offset, 0),
	}
	if err := c.gql.Query(ctx, &q, vars); err != nil {
		return PublicNotePage{}, mapError("list public notes", err)
	}
	return PublicNotePage{Notes: q.Notes, Total: q.Aggregate.Aggregate.Count}, nil
}

// GetPublicNote returns one public note; ErrNotFound when there is none
// with that id (the view has no primary key, so no _by_pk field).
func (c *Client) GetPublicNote(ctx context.Context, id string) (PublicNote, error) {
	var q struct {
		Notes []PublicNote `graphql:"public_notes(where: $where, limit: 1)"`
	}
	where := publicNotesBoolExp{"id": map[string]any{"_eq": id}}
	if err := c.gql.Query(ctx, &q, map[string]any{"where": where}); err != nil {
		return PublicNote{}, mapError("get public note", err)
	}
	if len(q.Notes) == 0 {
		return PublicNote{}, fmt.Errorf("get public note %s: %w", id, ErrNotFound)
	}
	return q.Notes[0], nil
}
