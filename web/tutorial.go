package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/graph"
	"github.com/notes-app/notes/views"
)

// handleTutorial answers GET /tutorial: the Nhost + Hasura tutorial's
// steps in order, each with its status for this visitor and a link to the
// page that does it. Status checks that fail count as not done.
func (a *app) handleTutorial(c echo.Context) error {
	ctx := c.Request().Context()
	s := a.session(c)
	var me *graph.Client
	if s.SignedIn() {
		changed, err := a.auth.Ensure(ctx, &s.State, a.now())
		s.dirty = s.dirty || changed
		if err == nil && s.SignedIn() {
			me = a.graph.WithToken(s.AccessToken, "user")
		}
	}
	var admin *graph.Client
	if a.standalone && a.secret != "" {
		admin = a.graph.WithAdminSecret(a.secret)
	}
	adminLink := func(path string) string {
		if admin == nil {
			return ""
		}
		return path
	}
	verified := false
	if me != nil {
		if u, err := a.auth.User(ctx, s.AccessToken); err == nil {
			verified = u.EmailVerified
		}
	}
	inbox := "/account/password"
	if a.devInbox {
		inbox = "/dev/inbox"
	}
	steps := []views.TutorialStep{
		{ID: "table", Title: "Create the notes table and give the user role read and write permissions",
			Body: "The notes table and its permissions ship in nhost/: migrations and metadata. Look at them as a matrix. The user role may insert a note only with a title that is not empty.",
			Done: a.permissionsExist(ctx, admin, me), Link: adminLink("/admin/permissions"), LinkText: "See the permissions"},
		{ID: "user", Title: "Create a user with an email and a password",
			Body: "In the admin console, as in the Nhost dashboard. Then copy the user's id.",
			Done: me != nil || anyUser(ctx, admin), Link: adminLink("/admin/users"), LinkText: "Create a user"},
		{ID: "note", Title: "Insert a note for that user id",
			Body: "With the admin secret, as in the Hasura console, any user_id is allowed.",
			Done: hasNote(ctx, admin, me), Link: adminLink("/admin/notes"), LinkText: "Insert a note"},
		{ID: "anonymous", Title: "Query the notes without the admin secret",
			Body: "Run query { notes { id title } } as anonymous. It fails: the public role has no notes field.",
			Done: slices.Contains(s.Tutorial, factAnonRefused), Link: "/playground?example=notes&as=anonymous", LinkText: "Open the playground"},
		{ID: "signin", Title: "Sign in as the user",
			Body: "Use the email and password you gave. Now the query returns only your own notes.",
			Done: me != nil, Link: "/sign-in", LinkText: "Sign in"},
		{ID: "verify", Title: "Verify the email address",
			Body: "Open the verification link. Here the dev inbox holds the email.",
			Done: verified, Link: inbox, LinkText: "Open the inbox"},
		{ID: "token", Title: "Decode the access token",
			Body: "See the Hasura claims that decide what you may see: your user id and your roles.",
			Done: slices.Contains(s.Tutorial, factDecoded), Link: "/token", LinkText: "Decode my token"},
	}
	p := views.TutorialProps{Steps: steps}
	for _, st := range steps {
		if st.Done {
			p.Done++
		}
	}
	return a.render(c, http.StatusOK, "Tutorial", views.TutorialPage(p), nil)
}

// permissionsExist reports whether public.notes gives the user role select
// and insert: from the metadata with the admin secret, else from the
// signed-in user's schema.
func (a *app) permissionsExist(ctx context.Context, admin, me *graph.Client) bool {
	if admin != nil {
		tables, err := a.graph.Permissions(ctx, a.secret)
		if err != nil {
			return false
		}
		for _, t := range tables {
			if t.Schema != "public" || t.Name != "notes" {
				continue
			}
			ops := map[string]bool{}
			for _, p := range t.Permissions {
				if p.Role == "user" {
					ops[p.Operation] = true
				}
			}
			return ops["select"] && ops["insert"]
		}
		return false
	}
	if me != nil {
		_, err := me.ListNotes(ctx, graph.ListParams{Limit: 1})
		return err == nil
	}
	return false
}

func anyUser(ctx context.Context, admin *graph.Client) bool {
	if admin == nil {
		return false
	}
	users, err := admin.ListUsers(ctx, "")
	return err == nil && len(users) > 0
}

// hasNote: the signed-in user has a note, or (signed out) anyone has.
func hasNote(ctx context.Context, admin, me *graph.Client) bool {
	if me != nil {
		p, err := me.ListNotes(ctx, graph.ListParams{Limit: 1})
		return err == nil && p.Total > 0
	}
	if admin == nil {
		return false
	}
	notes, err := admin.ListAllNotes(ctx, "")
	return err == nil && len(notes) > 0
}
