package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/graph"
	"github.com/notes-app/notes/views"
)

// pageSize is how many notes one page of the list shows.
const pageSize = 20

// handleNoteList answers GET /notes: search, sort and a page of notes. An
// htmx request aimed at the list gets only the list.
func (a *app) handleNoteList(c echo.Context) error {
	u := currentUser(c)
	var q listQuery
	if err := c.Bind(&q); err != nil {
		return err
	}
	q.normalize()
	list, err := a.noteList(c, u, q)
	if errors.Is(err, graph.ErrForbidden) && readOnly(u) {
		// The active role's schema has no notes field (e.g. "me"): explain it.
		page := views.NotesPage(views.NotesProps{NoAccess: true, Role: u.Role})
		return a.render(c, http.StatusOK, "Your notes", page, nil)
	}
	if err != nil {
		return err
	}
	page := views.NotesPage(views.NotesProps{List: list, ReadOnly: readOnly(u), Role: u.Role})
	var fragment = page
	if hxTarget(c) == "note-list" {
		fragment = views.NoteList(list)
	}
	return a.render(c, http.StatusOK, "Your notes", page, fragment)
}

// noteList loads one page of notes and maps it to the list's props.
func (a *app) noteList(c echo.Context, u *user, q listQuery) (views.NoteListProps, error) {
	res, err := u.Graph.ListNotes(c.Request().Context(), graph.ListParams{
		Search: q.Q, Sort: graph.Sort(q.Sort), Limit: pageSize, Offset: (q.Page - 1) * pageSize,
	})
	if err != nil {
		return views.NoteListProps{}, err
	}
	pages := max(1, (res.Total+pageSize-1)/pageSize)
	if len(res.Notes) == 0 && q.Page > pages {
		q.Page = pages // past the end (the last note of a page was deleted): show the last page
		return a.noteList(c, u, q)
	}
	l := views.NoteListProps{
		Query: q.Q, Sort: q.Sort, Page: q.Page, Pages: pages, Total: res.Total,
		SelfURL: listURL(q, q.Page),
	}
	if q.Page > 1 {
		l.PrevURL = listURL(q, min(q.Page-1, pages))
	}
	if q.Page < pages {
		l.NextURL = listURL(q, q.Page+1)
	}
	for _, n := range res.Notes {
		cp := a.cardProps(n)
		cp.ReadOnly = readOnly(u)
		l.Notes = append(l.Notes, cp)
	}
	return l, nil
}

func listURL(q listQuery, page int) string {
	v := url.Values{}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	if q.Sort != "updated" {
		v.Set("sort", q.Sort)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/notes"
	}
	return "/notes?" + v.Encode()
}

func (a *app) cardProps(n graph.Note) views.NoteCardProps {
	return views.NoteCardProps{
		ID: n.ID, Title: n.Title, Excerpt: excerpt(n.Content, 160), IsPublic: n.IsPublic,
		Updated: humanTime(n.Updated()), UpdatedISO: n.Updated().UTC().Format(time.RFC3339),
	}
}

func humanTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006, 15:04 UTC")
}

// handleNoteCreate answers POST /notes.
func (a *app) handleNoteCreate(c echo.Context) error {
	u := currentUser(c)
	var f noteForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	form := views.NoteFormProps{Title: f.Title, Content: f.Content, IsPublic: f.IsPublic}
	if errs := f.Valid(); len(errs) > 0 {
		form.Errors = errs
		return a.noteFormInvalid(c, u, form)
	}
	if _, err := u.Graph.CreateNote(c.Request().Context(), graph.NoteInput{Title: f.Title, Content: f.Content, IsPublic: f.IsPublic}); err != nil {
		return err
	}
	a.flash(c, "success", "Note added.")
	if !isHTMX(c) {
		return redirect(c, "/notes")
	}
	c.Response().Header().Set("HX-Trigger", "notes-changed")
	return a.render(c, http.StatusOK, "Your notes", views.NoteForm(views.NoteFormProps{}), nil)
}

// noteFormInvalid answers a bad create form with 422: the form alone for
// htmx, the whole notes page otherwise.
func (a *app) noteFormInvalid(c echo.Context, u *user, form views.NoteFormProps) error {
	if isHTMX(c) {
		return a.render(c, http.StatusUnprocessableEntity, "Your notes", views.NoteForm(form), nil)
	}
	q := listQuery{}
	q.normalize()
	list, err := a.noteList(c, u, q)
	if err != nil {
		return err
	}
	return a.render(c, http.StatusUnprocessableEntity, "Your notes", views.NotesPage(views.NotesProps{Form: form, List: list}), nil)
}

// noteID returns the :id parameter; anything but a UUID is a 404.
func noteID(c echo.Context) (string, error) {
	id := c.Param("id")
	if !uuidPattern.MatchString(id) {
		return "", graph.ErrNotFound
	}
	return id, nil
}

// handleNoteShow answers GET /notes/:id: the note's page, or its card for
// an htmx request aimed at the card (cancelling an inline edit).
func (a *app) handleNoteShow(c echo.Context) error {
	u := currentUser(c)
	id, err := noteID(c)
	if err != nil {
		return err
	}
	n, err := u.Graph.GetNote(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if hxTarget(c) == views.CardID(id) {
		cp := a.cardProps(n)
		cp.ReadOnly = readOnly(u)
		return a.render(c, http.StatusOK, n.Title, views.NoteCard(cp), nil)
	}
	return a.render(c, http.StatusOK, n.Title, views.NotePage(views.NoteProps{
		ID: n.ID, Title: n.Title, HTML: a.md.HTML(n.Content), IsPublic: n.IsPublic, ReadOnly: readOnly(u),
		Created: humanTime(n.Created()), Updated: humanTime(n.Updated()), UpdatedISO: n.Updated().UTC().Format(time.RFC3339),
	}), nil)
}

// handleNoteEdit answers GET /notes/:id/edit: the edit page, or the inline
// form for an htmx request aimed at the card.
func (a *app) handleNoteEdit(c echo.Context) error {
	u := currentUser(c)
	id, err := noteID(c)
	if err != nil {
		return err
	}
	n, err := u.Graph.GetNote(c.Request().Context(), id)
	if err != nil {
		return err
	}
	form := views.NoteFormProps{ID: n.ID, Title: n.Title, Content: n.Content, IsPublic: n.IsPublic}
	if hxTarget(c) == views.CardID(id) {
		form.Inline = true
		return a.render(c, http.StatusOK, "Edit note", views.NoteForm(form), nil)
	}
	return a.render(c, http.StatusOK, "Edit note", views.NoteEditPage(form), nil)
}

// handleNoteUpdate answers POST (or PUT) /notes/:id.
func (a *app) handleNoteUpdate(c echo.Context) error {
	u := currentUser(c)
	id, err := noteID(c)
	if err != nil {
		return err
	}
	var f noteForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	inline := hxTarget(c) == views.CardID(id)
	if errs := f.Valid(); len(errs) > 0 {
		form := views.NoteFormProps{ID: id, Title: f.Title, Content: f.Content, IsPublic: f.IsPublic, Inline: inline, Errors: errs}
		return a.render(c, http.StatusUnprocessableEntity, "Edit note", views.NoteEditPage(form), views.NoteForm(form))
	}
	n, err := u.Graph.UpdateNote(c.Request().Context(), id, graph.NoteInput{Title: f.Title, Content: f.Content, IsPublic: f.IsPublic})
	if err != nil {
		return err
	}
	a.flash(c, "success", "Saved.")
	if inline {
		return a.render(c, http.StatusOK, n.Title, views.NoteCard(a.cardProps(n)), nil)
	}
	return redirect(c, "/notes/"+id)
}

// handleNoteDelete answers POST /notes/:id/delete (and DELETE /notes/:id).
func (a *app) handleNoteDelete(c echo.Context) error {
	u := currentUser(c)
	id, err := noteID(c)
	if err != nil {
		return err
	}
	if err := u.Graph.DeleteNote(c.Request().Context(), id); err != nil {
		return err
	}
	a.flash(c, "success", "Note deleted.")
	if hxTarget(c) == views.CardID(id) {
		c.Response().Header().Set("HX-Trigger", "notes-changed")
		return a.render(c, http.StatusOK, "Your notes", views.Empty(), nil)
	}
	return redirect(c, "/notes")
}
