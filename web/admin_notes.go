package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/graph"
	"github.com/notes-app/notes/views"
)

// handleAdminNotes answers GET /admin/notes?user=: every note, or one
// user's, with the form that inserts a note for a user id.
func (a *app) handleAdminNotes(c echo.Context) error {
	return a.renderAdminNotes(c, http.StatusOK, strings.TrimSpace(c.QueryParam("user")), noteForm{}, nil)
}

func (a *app) renderAdminNotes(c echo.Context, status int, userID string, f noteForm, errs views.Errors) error {
	if userID != "" && !uuidPattern.MatchString(userID) {
		userID, errs = "", views.Errors{"user_id": "A user id looks like 3f2a…-…: copy it from the users page."}
		status = http.StatusUnprocessableEntity
	}
	notes, err := adminGraph(c).ListAllNotes(c.Request().Context(), userID)
	if err != nil {
		return err
	}
	p := views.AdminNotesProps{UserID: userID, Title: f.Title, Content: f.Content, Errors: errs}
	if userID == "" {
		p.UserID = c.FormValue("user_id")
	}
	for _, n := range notes {
		an := views.AdminNote{ID: n.ID, UserID: n.UserID, Title: n.Title, Public: n.IsPublic}
		if n.User != nil {
			an.Email = n.User.Email
		}
		p.Notes = append(p.Notes, an)
	}
	return a.render(c, status, "Notes · Admin", views.AdminNotesPage(p), nil)
}

// handleAdminNoteInsert answers POST /admin/notes: a note for user_id,
// inserted with the admin secret like the tutorial's row in the Hasura
// console.
func (a *app) handleAdminNoteInsert(c echo.Context) error {
	var f noteForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	userID := strings.TrimSpace(c.FormValue("user_id"))
	errs := f.Valid()
	if !uuidPattern.MatchString(userID) {
		errs["user_id"] = "Paste the user's id from the users page."
	}
	if len(errs) > 0 {
		return a.renderAdminNotes(c, http.StatusUnprocessableEntity, "", f, errs)
	}
	_, err := adminGraph(c).InsertNoteFor(c.Request().Context(), userID, graph.NoteInput{Title: f.Title, Content: f.Content, IsPublic: f.IsPublic})
	if err != nil {
		if errors.Is(err, graph.ErrConflict) {
			return a.renderAdminNotes(c, http.StatusUnprocessableEntity, "", f, views.Errors{"user_id": "No user has this id."})
		}
		return err
	}
	a.flash(c, "success", "Note inserted for the user. They see it once signed in.")
	return redirect(c, "/admin/notes?user="+url.QueryEscape(userID))
}

// handleAdminPermissions answers GET /admin/permissions: roles x tables x
// operations as the engine's loaded metadata states them.
func (a *app) handleAdminPermissions(c echo.Context) error {
	tables, err := a.graph.Permissions(c.Request().Context(), a.session(c).AdminSecret)
	if err != nil {
		return err
	}
	p := views.PermissionsProps{}
	for _, t := range tables {
		vt := views.PermTable{Name: t.Name, Schema: t.Schema}
		var order []string
		byRole := map[string]*views.PermRow{}
		for _, pm := range t.Permissions {
			row, ok := byRole[pm.Role]
			if !ok {
				row = &views.PermRow{Role: pm.Role}
				byRole[pm.Role] = row
				order = append(order, pm.Role)
			}
			cell := &views.PermCell{Columns: strings.Join(pm.Columns, ", "), Filter: pm.Filter, Check: pm.Check,
				Set: pm.Set, Aggregations: pm.AllowAggregations, Comment: pm.Comment}
			switch pm.Operation {
			case "select":
				row.Select = cell
			case "insert":
				row.Insert = cell
			case "update":
				row.Update = cell
			case "delete":
				row.Delete = cell
			}
		}
		for _, r := range order {
			vt.Rows = append(vt.Rows, *byRole[r])
		}
		p.Tables = append(p.Tables, vt)
	}
	return a.render(c, http.StatusOK, "Permissions · Admin", views.PermissionsPage(p), nil)
}
