package views_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/a-h/templ"
	"golang.org/x/net/html"

	"github.com/notes-app/notes/views"
)

func TestRoleSwitch(t *testing.T) {
	for _, c := range []struct {
		roles []string
		want  int
	}{{nil, 0}, {[]string{"user"}, 0}, {[]string{"me", "moderator", "user"}, 1}} {
		buf := mustRenderLayout(t, views.UserBadge{Name: "Ann", Role: "user", Roles: c.roles, Path: "/notes"})
		if got := len(byTestID(buf, "role-switch")); got != c.want {
			t.Errorf("roles %v: %d switches, want %d", c.roles, got, c.want)
		}
		if c.want == 1 {
			opts := 0
			for d := range mustOne(t, buf, "role-select").Descendants() {
				if d.Data == "option" {
					opts++
					if attr(d, "value") == "user" && !hasAttr(d, "selected") {
						t.Error("active role not selected")
					}
				}
			}
			if opts != 3 {
				t.Errorf("%d options, want 3", opts)
			}
		}
	}
}

func TestTeachingPages(t *testing.T) {
	doc := mustRender(t, views.PermissionsPage(views.PermissionsProps{Tables: []views.PermTable{{Schema: "public", Name: "notes", Rows: []views.PermRow{
		{Role: "user", Select: &views.PermCell{Columns: "id, title", Filter: `{"user_id":{"_eq":"X-Hasura-User-Id"}}`}, Insert: &views.PermCell{Set: `{"user_id":"x-hasura-User-Id"}`}},
		{Role: "moderator", Select: &views.PermCell{Columns: "id", Filter: "{}"}},
	}}}}), true)
	if rows := byTestID(doc, "perm-row"); len(rows) != 2 || attr(rows[1], "data-role") != "moderator" {
		t.Fatalf("perm rows = %d", len(rows))
	}
	mustOne(t, doc, "perm-set")

	doc = mustRender(t, views.TutorialPage(views.TutorialProps{Done: 1, Steps: []views.TutorialStep{
		{ID: "table", Title: "T", Done: true, Link: "/admin/permissions", LinkText: "See"},
		{ID: "user", Title: "U"},
	}}), true)
	if attr(mustOne(t, doc, "step-table"), "data-done") != "true" || attr(mustOne(t, doc, "step-user"), "data-done") != "false" {
		t.Fatal("step states wrong")
	}
	if n := len(byTestID(doc, "step-link")); n != 1 {
		t.Fatalf("%d step links, want 1", n)
	}

	doc = mustRender(t, views.PlaygroundPage(views.PlaygroundProps{Query: "{ x }", As: "anonymous",
		Identities: []views.Option{{Value: "anonymous", Label: "Anonymous"}, {Value: "admin", Label: "Admin"}},
		Queries:    []string{"public_notes"}, Errors: views.Errors{},
		Result: &views.PlaygroundResult{Request: "POST /v1/graphql", Status: 200, Answer: "{}"}}), true)
	for _, id := range []string{"playground-form", "input-query", "input-variables", "input-as", "input-secret", "playground-run", "playground-result", "schema-query"} {
		mustOne(t, doc, id)
	}
	form := mustOne(t, doc, "playground-form")
	if attr(form, "method") != "post" || attr(form, "action") != "/playground" {
		t.Error("the playground must work as a plain form post")
	}

	doc = mustRender(t, views.AdminLoginPage(views.AdminLoginProps{Error: "No."}), true)
	if attr(mustOne(t, doc, "input-secret"), "aria-describedby") != "e-secret" {
		t.Error("the error is not tied to the field")
	}
	doc = mustRender(t, views.LandingPage(views.LandingProps{}), false)
	for _, id := range []string{"landing-sign-in", "landing-public", "landing-tutorial"} {
		mustOne(t, doc, id)
	}
	if len(byTestID(doc, "landing-admin")) != 0 {
		t.Error("admin link without standalone mode")
	}
}

// mustRenderLayout renders an empty page in the layout for user u.
func mustRenderLayout(t *testing.T, u views.UserBadge) *html.Node {
	t.Helper()
	ctx := views.WithCSRF(context.Background(), "tok")
	var buf bytes.Buffer
	if err := views.Layout(views.LayoutProps{User: &u}).Render(templ.WithChildren(ctx, views.Empty()), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
