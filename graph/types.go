package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Note is one row of public.notes as the app uses it. The json tags name
// the response keys for Client.query.
type Note struct {
	ID        string      `graphql:"id" json:"id"`
	Title     string      `graphql:"title" json:"title"`
	Content   string      `graphql:"content" json:"content"`
	IsPublic  bool        `graphql:"is_public" json:"is_public"`
	CreatedAt timestamptz `graphql:"created_at" json:"created_at"`
	UpdatedAt timestamptz `graphql:"updated_at" json:"updated_at"`
}

// Created returns when the note was created.
func (n Note) Created() time.Time { return n.CreatedAt.Time }

// Updated returns when the note was last changed.
func (n Note) Updated() time.Time { return n.UpdatedAt.Time }

// NoteInput holds the columns a user may insert or update.
type NoteInput struct {
	Title    string
	Content  string
	IsPublic bool
}

// Sort is the order of a note list.
type Sort string

// The orders ListNotes understands; anything else means SortUpdated.
const (
	SortUpdated Sort = "updated"
	SortCreated Sort = "created"
	SortTitle   Sort = "title"
)

// ListParams selects a page of notes.
type ListParams struct {
	Search string
	Sort   Sort
	Limit  int
	Offset int
}

// NotePage is one page of notes and the total count matching the search.
type NotePage struct {
	Notes []Note
	Total int
}

// timestamptz parses Hasura's timestamptz output, which is RFC 3339 with an
// offset like +00:00 (Postgres) and may lack the T or the zone elsewhere.
type timestamptz struct{ time.Time }

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

// UnmarshalJSON accepts the layouts in timeLayouts.
func (t *timestamptz) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && !bytes.ContainsAny(b[1:len(b)-1], `"\\`) {
		s = string(b[1 : len(b)-1]) // a plain string: no need for a JSON decoder
	} else if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("timestamptz: %w", err)
	}
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if v, err := time.Parse(l, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("timestamptz: cannot parse %q", s)
}

// Variable types, named after Hasura's GraphQL types so the library
// declares the operation's variables correctly.
type (
	uuid         string
	notesBoolExp map[string]any
	notesOrderBy map[string]any
	notesInsert  map[string]any
	notesSet     map[string]any
	notesPK      map[string]any
)

func (uuid) GetGraphQLType() string         { return "uuid" }
func (notesBoolExp) GetGraphQLType() string { return "notes_bool_exp" }
func (notesOrderBy) GetGraphQLType() string { return "notes_order_by" }
func (notesInsert) GetGraphQLType() string  { return "notes_insert_input" }
func (notesSet) GetGraphQLType() string     { return "notes_set_input" }
func (notesPK) GetGraphQLType() string      { return "notes_pk_columns_input" }
