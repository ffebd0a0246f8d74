package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/graph"
	"github.com/notes-app/notes/views"
)

// handleAdminUsers answers GET /admin/users?q=: the users, searchable.
func (a *app) handleAdminUsers(c echo.Context) error {
	return a.renderAdminUsers(c, http.StatusOK, credentialsForm{}, nil)
}

func (a *app) renderAdminUsers(c echo.Context, status int, form credentialsForm, errs views.Errors) error {
	ctx := c.Request().Context()
	g := adminGraph(c)
	q := strings.TrimSpace(c.QueryParam("q"))
	users, err := g.ListUsers(ctx, q)
	if err != nil {
		return err
	}
	roles, err := g.ListRoles(ctx)
	if err != nil {
		return err
	}
	p := views.AdminUsersProps{Query: q, Roles: roles, Email: form.Email, Errors: errs}
	for _, u := range users {
		p.Users = append(p.Users, views.AdminUser{
			ID: u.ID, Email: u.Email, Name: u.DisplayName, Verified: u.EmailVerified, Disabled: u.Disabled,
			DefaultRole: u.DefaultRole, Roles: u.Roles, Created: u.CreatedAt.UTC().Format(time.DateTime),
		})
	}
	return a.render(c, status, "Users · Admin", views.AdminUsersPage(p), nil)
}

// handleAdminUserCreate answers POST /admin/users: a new user with email
// and password, made through the auth API as a sign-up would be (the
// password is hashed by the auth service; a verification email is sent
// when the service requires one).
func (a *app) handleAdminUserCreate(c echo.Context) error {
	var f credentialsForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	errs := f.Valid()
	if len(f.Password) < 9 && errs["password"] == "" {
		errs["password"] = "Use at least 9 characters."
	}
	if len(errs) > 0 {
		return a.renderAdminUsers(c, http.StatusUnprocessableEntity, f, errs)
	}
	ctx := c.Request().Context()
	sess, err := a.auth.SignUpEmailPassword(ctx, f.Email, f.Password, auth.SignUpOptions{RedirectTo: a.callbackURL()})
	switch {
	case errors.Is(err, auth.ErrConflict):
		return a.renderAdminUsers(c, http.StatusUnprocessableEntity, f, views.Errors{"email": "A user with this email exists."})
	case errors.Is(err, auth.ErrInvalidInput):
		return a.renderAdminUsers(c, http.StatusUnprocessableEntity, f, views.Errors{"password": "The auth service refused this password or email."})
	case errors.Is(err, auth.ErrUnverified):
		// Created; the user verifies by email (or the admin marks it verified).
	case err != nil:
		return err
	default:
		_ = a.auth.SignOut(ctx, sess.RefreshToken) // the admin needs no session as this user
	}
	a.flash(c, "success", "User "+f.Email+" created. Copy the id to insert a note for them.")
	return redirect(c, "/admin/users?q="+url.QueryEscape(f.Email))
}

// handleAdminUserVerify answers POST /admin/users/:id/verify.
func (a *app) handleAdminUserVerify(c echo.Context) error {
	id, err := noteID(c)
	if err != nil {
		return err
	}
	yes := true
	if err := adminGraph(c).UpdateUser(c.Request().Context(), id, graph.UserPatch{EmailVerified: &yes}); err != nil {
		return err
	}
	a.flash(c, "success", "Email marked as verified.")
	return redirect(c, adminBack(c))
}

// handleAdminUserDisable answers POST /admin/users/:id/disable with
// disabled=true or false.
func (a *app) handleAdminUserDisable(c echo.Context) error {
	id, err := noteID(c)
	if err != nil {
		return err
	}
	off := c.FormValue("disabled") == "true"
	if err := adminGraph(c).UpdateUser(c.Request().Context(), id, graph.UserPatch{Disabled: &off}); err != nil {
		return err
	}
	msg := "User enabled."
	if off {
		msg = "User disabled: they cannot sign in or refresh their token."
	}
	a.flash(c, "success", msg)
	return redirect(c, adminBack(c))
}

// handleAdminUserRoles answers POST /admin/users/:id/roles: the default
// role and the allowed roles (which must include the default).
func (a *app) handleAdminUserRoles(c echo.Context) error {
	id, err := noteID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	g := adminGraph(c)
	known, err := g.ListRoles(ctx)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	def := form.Get("default_role")
	allowed := form["roles"]
	if !slices.Contains(allowed, def) {
		allowed = append(allowed, def)
	}
	for _, r := range allowed {
		if !slices.Contains(known, r) {
			return echo.NewHTTPError(http.StatusBadRequest, "unknown role")
		}
	}
	slices.Sort(allowed)
	if err := g.SetUserRoles(ctx, id, def, slices.Compact(allowed)); err != nil {
		return err
	}
	a.flash(c, "success", "Roles saved. They reach the user's token at its next refresh.")
	return redirect(c, adminBack(c))
}

// handleAdminUserDelete answers POST /admin/users/:id/delete; the user's
// notes go with them.
func (a *app) handleAdminUserDelete(c echo.Context) error {
	id, err := noteID(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return a.render(c, http.StatusOK, "Delete user", views.AdminConfirmDeletePage(views.AdminConfirmDeleteProps{
			ID: id, Email: c.FormValue("email"), Query: c.FormValue("q"), Back: adminBack(c),
		}), nil)
	}
	if err := adminGraph(c).DeleteUser(c.Request().Context(), id); err != nil {
		return err
	}
	a.flash(c, "success", "User deleted, with their notes.")
	return redirect(c, adminBack(c))
}

// adminBack is the users page with the search the form came from.
func adminBack(c echo.Context) string {
	if q := strings.TrimSpace(c.FormValue("q")); q != "" {
		return "/admin/users?q=" + url.QueryEscape(q)
	}
	return "/admin/users"
}
