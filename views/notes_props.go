package views

import "strconv"

// NotesPage's sort choices, in the order the select shows them.
var sortChoices = []struct{ Value, Label string }{
	{"updated", "Recently edited"},
	{"created", "Newest"},
	{"title", "Title A–Z"},
}

// NotesProps is the notes screen: the create form and the list.
type NotesProps struct {
	Form NoteFormProps
	List NoteListProps
	// ReadOnly hides the create form: the active role (moderator) reads
	// notes and may not write them.
	ReadOnly bool
	Role     string
	// NoAccess says the active role has no select permission on notes: its
	// GraphQL schema has no notes field at all, which the page explains.
	NoAccess bool
}

// NoteListProps is one page of the list with its search and paging state.
type NoteListProps struct {
	Notes   []NoteCardProps
	Query   string
	Sort    string
	Page    int
	Pages   int
	Total   int
	SelfURL string
	PrevURL string
	NextURL string
}

// NoteCardProps is one note in the list.
type NoteCardProps struct {
	ID         string
	Title      string
	Excerpt    string
	Updated    string
	UpdatedISO string
	IsPublic   bool
	// ReadOnly hides edit and delete (the active role may not change notes).
	ReadOnly bool
}

// NoteFormProps is the create or edit form. An empty ID means create.
// Inline forms swap in place of a card with HTMX; the others are plain
// page forms.
type NoteFormProps struct {
	ID       string
	Title    string
	Content  string
	IsPublic bool
	Inline   bool
	Errors   Errors
}

// NoteProps is a note's own page.
type NoteProps struct {
	ID         string
	Title      string
	HTML       string
	Created    string
	Updated    string
	UpdatedISO string
	IsPublic   bool
	ReadOnly   bool
}

// CardID is the element id of a note's card, which HTMX sends back as
// HX-Target so the server knows which fragment to answer with.
func CardID(id string) string { return "note-" + id }

func (f NoteFormProps) action() string {
	if f.ID == "" {
		return "/notes"
	}
	return "/notes/" + f.ID
}

func (f NoteFormProps) elementID() string {
	switch {
	case f.ID == "":
		return "note-create"
	case f.Inline:
		return CardID(f.ID)
	default:
		return "note-edit"
	}
}

func (l NoteListProps) summary() string {
	if l.Total == 1 {
		return "1 note"
	}
	return strconv.Itoa(l.Total) + " notes"
}

func (l NoteListProps) pageLabel() string {
	return "Page " + strconv.Itoa(l.Page) + " of " + strconv.Itoa(l.Pages)
}
