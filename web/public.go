package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/graph"
	"github.com/notes-app/notes/views"
)

// handlePublicList answers GET /public: the notes their authors made
// public, read as the unauthorized role (no token), signed in or not.
func (a *app) handlePublicList(c echo.Context) error {
	var q listQuery
	if err := c.Bind(&q); err != nil {
		return err
	}
	q.normalize()
	res, err := a.graph.ListPublicNotes(c.Request().Context(), graph.ListParams{
		Search: q.Q, Sort: graph.SortUpdated, Limit: pageSize, Offset: (q.Page - 1) * pageSize,
	})
	if err != nil {
		return err
	}
	pages := max(1, (res.Total+pageSize-1)/pageSize)
	p := views.PublicNotesProps{Query: q.Q, Page: q.Page, Pages: pages, Total: res.Total, SignedIn: a.session(c).SignedIn()}
	link := func(page int) string {
		v := url.Values{}
		if q.Q != "" {
			v.Set("q", q.Q)
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		if len(v) == 0 {
			return "/public"
		}
		return "/public?" + v.Encode()
	}
	if q.Page > 1 {
		p.PrevURL = link(min(q.Page-1, pages))
	}
	if q.Page < pages {
		p.NextURL = link(q.Page + 1)
	}
	for _, n := range res.Notes {
		p.Notes = append(p.Notes, views.NoteCardProps{
			ID: n.ID, Title: n.Title, Excerpt: excerpt(n.Content, 160),
			Updated: humanTime(n.Updated()), UpdatedISO: n.Updated().UTC().Format(time.RFC3339),
		})
	}
	return a.render(c, http.StatusOK, "Public notes", views.PublicNotesPage(p), nil)
}

// handlePublicShow answers GET /public/:id.
func (a *app) handlePublicShow(c echo.Context) error {
	id, err := noteID(c)
	if err != nil {
		return err
	}
	n, err := a.graph.GetPublicNote(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return a.render(c, http.StatusOK, n.Title, views.PublicNotePage(views.NoteProps{
		ID: n.ID, Title: n.Title, HTML: a.md.HTML(n.Content),
		Created: humanTime(n.Created()), Updated: humanTime(n.Updated()), UpdatedISO: n.Updated().UTC().Format(time.RFC3339),
	}), nil)
}
