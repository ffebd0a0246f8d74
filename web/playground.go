package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/graph"
	"github.com/notes-app/notes/views"
)

// playgroundExamples are the queries one click away, the tutorial's first.
var playgroundExamples = []views.Example{
	{Name: "notes", Label: "The tutorial's query: all notes", Query: "query {\n  notes {\n    id\n    title\n  }\n}",
		Hint: "Anonymous: fails with field 'notes' not found in type: 'query_root'. Signed in as user: your notes only. As moderator: every note."},
	{Name: "public", Label: "Public notes", Query: "query {\n  public_notes(order_by: {updated_at: desc}, limit: 5) {\n    id\n    title\n  }\n}",
		Hint: "Works for everyone; the view has no user_id."},
	{Name: "count", Label: "Count my notes", Query: "query {\n  notes_aggregate {\n    aggregate {\n      count\n    }\n  }\n}",
		Hint: "The count respects the same row filter."},
	{Name: "insert-other", Label: "Insert a note for someone else", Query: "mutation {\n  insert_notes_one(object: {title: \"Not yours\", user_id: \"00000000-0000-4000-8000-000000000000\"}) {\n    id\n  }\n}",
		Hint: "Fails the user role's insert permission: user_id is not a column it may set (the preset takes it from the token)."},
	{Name: "insert-blank", Label: "Insert a note with a blank title", Query: "mutation {\n  insert_notes_one(object: {title: \"\"}) {\n    id\n  }\n}",
		Hint: "As user: fails the insert check (the permission requires a title), with Hasura's permission-error."},
	{Name: "update-all", Label: "Rename every note", Query: "mutation {\n  update_notes(where: {}, _set: {title: \"Mine now\"}) {\n    affected_rows\n  }\n}",
		Hint: "As user: changes only your own rows. As moderator or anonymous: the field does not exist."},
}

const (
	idAnonymous = "anonymous"
	idAdmin     = "admin"
	idRole      = "role:"
)

// playgroundForm is what Run posts.
type playgroundForm struct {
	Query     string `form:"query" query:"query"`
	Variables string `form:"variables" query:"variables"`
	As        string `form:"as" query:"as"`
	Secret    string `form:"secret"`
	Example   string `query:"example"`
}

// identities lists who the visitor may run as.
func (a *app) identities(c echo.Context) []views.Option {
	s := a.session(c)
	opts := []views.Option{{Value: idAnonymous, Label: "Anonymous (no token: role public)"}}
	if s.SignedIn() {
		for _, r := range s.Roles {
			opts = append(opts, views.Option{Value: idRole + r, Label: "Signed in, role " + r})
		}
	}
	if a.standalone && a.secret != "" {
		opts = append(opts, views.Option{Value: idAdmin, Label: "Admin (x-hasura-admin-secret)"})
	}
	return opts
}

// handlePlayground answers GET /playground?example=&as=.
func (a *app) handlePlayground(c echo.Context) error {
	var f playgroundForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	ex := playgroundExamples[0]
	for _, e := range playgroundExamples {
		if e.Name == f.Example {
			ex = e
		}
	}
	if f.Query == "" {
		f.Query = ex.Query
	}
	p := a.playgroundProps(c, &f)
	p.Hint = ex.Hint
	if id, ok := a.identity(c, &f, false); ok {
		p.Queries, p.Mutations, _ = a.graph.RootFields(c.Request().Context(), id)
	}
	return a.render(c, http.StatusOK, "GraphQL playground", views.PlaygroundPage(p), nil)
}

// playgroundProps fills the page from f, first settling f.As on an
// identity the visitor may use.
func (a *app) playgroundProps(c echo.Context, f *playgroundForm) views.PlaygroundProps {
	ids := a.identities(c)
	if !slices.ContainsFunc(ids, func(o views.Option) bool { return o.Value == f.As }) {
		f.As = idAnonymous
		if s := a.session(c); s.SignedIn() && s.Role != "" {
			f.As = idRole + s.Role
		}
	}
	return views.PlaygroundProps{Query: f.Query, Variables: f.Variables, As: f.As, Identities: ids,
		Examples: playgroundExamples, Errors: views.Errors{}, SessionAdmin: a.adminUnlocked(a.session(c))}
}

// identity turns the chosen identity into headers. A signed-in identity
// gets a fresh token; run marks a real attempt (the admin secret typed in
// is rate limited like the admin console's).
func (a *app) identity(c echo.Context, f *playgroundForm, run bool) (graph.Identity, bool) {
	s := a.session(c)
	switch {
	case f.As == idAnonymous:
		return graph.Identity{}, true
	case f.As == idAdmin && a.standalone && a.secret != "":
		secret := f.Secret
		if secret == "" && a.adminUnlocked(s) {
			secret = s.AdminSecret
		}
		if secret == "" || (run && !secretEqual(secret, a.secret) && !a.adminLimit.allow(c.RealIP(), a.now())) {
			return graph.Identity{}, false
		}
		return graph.Identity{AdminSecret: secret}, true
	case strings.HasPrefix(f.As, idRole) && s.SignedIn():
		role := strings.TrimPrefix(f.As, idRole)
		if !slices.Contains(s.Roles, role) {
			return graph.Identity{}, false
		}
		changed, err := a.auth.Ensure(c.Request().Context(), &s.State, a.now())
		s.dirty = s.dirty || changed
		if err != nil || !s.SignedIn() {
			return graph.Identity{}, false
		}
		return graph.Identity{Token: s.AccessToken, Role: role}, true
	}
	return graph.Identity{}, false
}

// handlePlaygroundRun answers POST /playground: the request as sent and
// the answer. htmx swaps the whole playground; without JS it is a page.
func (a *app) handlePlaygroundRun(c echo.Context) error {
	var f playgroundForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	offered := slices.ContainsFunc(a.identities(c), func(o views.Option) bool { return o.Value == f.As })
	p := a.playgroundProps(c, &f)
	var vars map[string]any
	if v := strings.TrimSpace(f.Variables); v != "" {
		if err := json.Unmarshal([]byte(v), &vars); err != nil {
			p.Errors["variables"] = "Variables must be a JSON object, like {\"id\": \"…\"}."
		}
	}
	if strings.TrimSpace(f.Query) == "" {
		p.Errors["query"] = "Write a query first."
	}
	id, ok := a.identity(c, &f, true)
	if !ok || !offered {
		p.Errors["as"] = "You cannot run as this identity now (sign in, or give the admin secret)."
	}
	if len(p.Errors) > 0 {
		return a.render(c, http.StatusUnprocessableEntity, "GraphQL playground", views.PlaygroundPage(p), nil)
	}
	ctx := c.Request().Context()
	res, err := a.graph.Raw(ctx, id, f.Query, vars)
	if err != nil {
		return err
	}
	p.Queries, p.Mutations, _ = a.graph.RootFields(ctx, id)
	var req strings.Builder
	req.WriteString("POST " + res.URL + "\n")
	for _, h := range res.Headers {
		req.WriteString(h.Name + ": " + shownHeader(h) + "\n")
	}
	req.WriteString("\n" + indentJSON(res.Body))
	p.Result = &views.PlaygroundResult{Request: req.String(), Status: res.Status, Answer: indentJSON(res.Answer)}
	if f.As == idAnonymous && strings.Contains(string(res.Answer), "field 'notes' not found in type: 'query_root'") {
		a.tutorialFact(c, factAnonRefused)
	}
	return a.render(c, http.StatusOK, "GraphQL playground", views.PlaygroundPage(p), nil)
}

// shownHeader shortens the token and hides the admin secret.
func shownHeader(h graph.Header) string {
	switch h.Name {
	case "Authorization":
		tok := strings.TrimPrefix(h.Value, "Bearer ")
		if len(tok) > 24 {
			tok = tok[:12] + "…" + tok[len(tok)-8:]
		}
		return "Bearer " + tok
	case "X-Hasura-Admin-Secret":
		return strings.Repeat("•", 8)
	}
	return h.Value
}

func indentJSON(b []byte) string {
	var buf bytes.Buffer
	if json.Indent(&buf, b, "", "  ") != nil {
		return string(b)
	}
	return buf.String()
}
