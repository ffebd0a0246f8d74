package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/notes-app/notes/web"
)

const missingID = "00000000-0000-0000-0000-999999999999"

// shortTokens makes access tokens live 30 s, inside the app's 60 s refresh
// margin, so every request of a signed-in user refreshes.
var shortTokens = map[string]string{"AUTH_ACCESS_TOKEN_EXPIRES_IN": "30"}

// anHourLater runs the app's clock an hour ahead: every access token has
// expired for it, so each request refreshes, and a refused refresh token
// ends the session.
func anHourLater(o *web.Options) { o.Now = func() time.Time { return time.Now().Add(time.Hour) } }

func TestNotes(t *testing.T) {
	t.Parallel()
	b, _ := mustApp(t, nil, nil)
	mustStatus(t, b.get("/notes"), http.StatusSeeOther)
	b.signIn("bob")
	r := b.get("/notes")
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "notes-page", "note-create-form", "empty-state")

	t.Run("create invalid", func(t *testing.T) {
		r := b.post("/notes", url.Values{"title": {"  "}, "content": {"body"}})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustTestID(t, r, "notes-page", "note-create-form", "error-title")
		r = b.htmx("POST", "/notes", url.Values{"title": {strings.Repeat("x", 201)}}, "note-create")
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustTestID(t, r, "note-create-form", "error-title")
		mustNoTestID(t, r, "notes-page")
	})

	r = b.post("/notes", url.Values{"title": {"First"}, "content": {"# Hi\n\nText <script>alert(1)</script> and **bold** [x](javascript:alert(1))"}})
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/notes")
	first := mustCards(t, b.get("/notes"))[0]
	r = b.htmx("POST", "/notes", url.Values{"title": {"Second"}, "content": {"two"}, "is_public": {"true"}}, "note-create")
	mustStatus(t, r, http.StatusOK)
	mustHeader(t, r, "HX-Trigger", "notes-changed")
	mustTestID(t, r, "note-create-form", "toast")

	r = b.get("/notes")
	mustTestID(t, r, "note-card", "note-public")
	ids := mustCards(t, r)
	if len(ids) != 2 {
		t.Fatalf("cards = %d", len(ids))
	}
	second := ids[0]
	if second == first {
		second = ids[1]
	}
	r = b.do("GET", "/notes", nil, map[string]string{"HX-Request": "true", "HX-History-Restore-Request": "true"})
	mustTestID(t, r, "brand", "notes-page") // a history restore gets the whole page

	r = b.htmx("GET", "/notes?q=Sec", nil, "note-list")
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "note-list")
	mustNoTestID(t, r, "notes-page")

	t.Run("show", func(t *testing.T) {
		r := b.get("/notes/" + first)
		mustStatus(t, r, http.StatusOK)
		mustTestID(t, r, "note-page", "note-body")
		if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "javascript:") || !strings.Contains(r.body, "<strong>bold</strong>") {
			t.Fatalf("markdown not rendered safely:\n%s", r.body)
		}
		r = b.htmx("GET", "/notes/"+first, nil, "note-"+first)
		mustTestID(t, r, "note-card")
		mustNoTestID(t, r, "note-page")
	})

	t.Run("not found", func(t *testing.T) {
		for _, path := range []string{"/notes/" + missingID, "/notes/not-a-uuid", "/notes/" + missingID + "/edit", "/nope"} {
			r := b.get(path)
			mustStatus(t, r, http.StatusNotFound)
			mustTestID(t, r, "error-page")
		}
		r := b.post("/notes/"+missingID, url.Values{"title": {"x"}})
		mustStatus(t, r, http.StatusNotFound)
		r = b.post("/notes/"+missingID+"/delete", nil)
		mustStatus(t, r, http.StatusNotFound)
		r = b.htmx("DELETE", "/notes/"+missingID, nil, "note-"+missingID)
		mustStatus(t, r, http.StatusNotFound)
		mustHeader(t, r, "HX-Retarget", "#toasts")
		mustTestID(t, r, "toast")
	})

	t.Run("edit", func(t *testing.T) {
		r := b.get("/notes/" + first + "/edit")
		mustTestID(t, r, "note-edit-page", "note-edit-form")
		r = b.htmx("GET", "/notes/"+first+"/edit", nil, "note-"+first)
		mustTestID(t, r, "note-edit-form", "note-cancel")
		mustNoTestID(t, r, "note-edit-page")
		r = b.post("/notes/"+first, url.Values{"title": {""}})
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustTestID(t, r, "note-edit-page", "error-title")
		r = b.htmx("PUT", "/notes/"+first, url.Values{"title": {""}}, "note-"+first)
		mustStatus(t, r, http.StatusUnprocessableEntity)
		mustTestID(t, r, "note-edit-form", "error-title")
		r = b.htmx("PUT", "/notes/"+first, url.Values{"title": {"Renamed"}}, "note-"+first)
		mustStatus(t, r, http.StatusOK)
		mustTestID(t, r, "note-card")
		r = b.post("/notes/"+first, url.Values{"title": {"Renamed again"}})
		mustStatus(t, r, http.StatusSeeOther)
		mustHeader(t, r, "Location", "/notes/"+first)
	})

	t.Run("other user", func(t *testing.T) {
		other := b.fork()
		other.signIn("eve")
		mustStatus(t, other.get("/notes/"+first), http.StatusNotFound)
		mustStatus(t, other.post("/notes/"+first, url.Values{"title": {"mine"}}), http.StatusNotFound)
		mustStatus(t, other.post("/notes/"+first+"/delete", nil), http.StatusNotFound)
		mustTestID(t, other.get("/notes"), "empty-state")
	})

	t.Run("delete", func(t *testing.T) {
		r := b.htmx("DELETE", "/notes/"+first, nil, "note-"+first)
		mustStatus(t, r, http.StatusOK)
		mustHeader(t, r, "HX-Trigger", "notes-changed")
		r = b.post("/notes/"+second+"/delete", nil)
		mustStatus(t, r, http.StatusSeeOther)
		mustTestID(t, b.get("/notes"), "empty-state")
	})

	t.Run("pagination", func(t *testing.T) {
		for i := range 25 {
			mustStatus(t, b.post("/notes", url.Values{"title": {fmt.Sprint("n", i)}}), http.StatusSeeOther)
		}
		r := b.get("/notes")
		mustTestID(t, r, "pagination", "page-next")
		if n := strings.Count(r.body, `data-testid="note-card"`); n != 20 {
			t.Fatalf("cards = %d", n)
		}
		r = b.get("/notes?page=9")
		mustTestID(t, r, "page-prev")
		if !strings.Contains(r.body, "Page 2 of 2") {
			t.Fatal("a page past the end did not show the last page")
		}
		r = b.get("/notes?page=2&sort=title")
		mustTestID(t, r, "page-prev")
		if n := strings.Count(r.body, `data-testid="note-card"`); n != 5 {
			t.Fatalf("cards = %d", n)
		}
	})
}

func TestBackendDown(t *testing.T) {
	t.Parallel()
	b, be := mustApp(t, nil, nil)
	b.signIn("bob")
	be.shutDown()
	r := b.get("/notes")
	mustStatus(t, r, http.StatusServiceUnavailable)
	mustTestID(t, r, "error-page")
	if strings.Contains(r.body, "502") || strings.Contains(r.body, "graph:") {
		t.Fatal("internal error text leaked")
	}
	r = b.htmx("GET", "/notes", nil, "note-list")
	mustStatus(t, r, http.StatusServiceUnavailable)
	mustHeader(t, r, "HX-Retarget", "#toasts")
}

func TestRefresh(t *testing.T) {
	t.Parallel()
	b, _ := mustApp(t, shortTokens, nil) // every request refreshes
	b.signIn("bob")
	mustStatus(t, b.get("/notes"), http.StatusOK)
	mustStatus(t, b.get("/notes"), http.StatusOK)

	dead, dbe := mustApp(t, nil, anHourLater)
	dead.signIn("dead")
	dbe.signOutEverywhere("dead@example.com", testPassword) // the refresh token is refused
	r := dead.get("/notes")
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/sign-in")
	r = dead.get("/sign-in")
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "toast")
}

func TestStaticAndHealth(t *testing.T) {
	t.Parallel()
	b, _ := mustApp(t, nil, nil)
	mustStatus(t, b.get("/healthz"), http.StatusOK)
	page := b.get("/sign-in")
	i := strings.Index(page.body, `/static/css/app.`)
	if i < 0 {
		t.Fatal("no stylesheet link")
	}
	href := page.body[i : i+strings.Index(page.body[i:], `"`)]
	r := b.get(href)
	mustStatus(t, r, http.StatusOK)
	mustHeader(t, r, "Cache-Control", "public, max-age=31536000, immutable")
	mustStatus(t, b.get("/static/css/nope.css"), http.StatusNotFound)
}

func TestEdgeErrors(t *testing.T) {
	t.Parallel()
	b, _ := mustApp(t, nil, nil)
	b.signIn("bob")
	t.Run("body too large", func(t *testing.T) {
		r := b.post("/notes", url.Values{"title": {"big"}, "content": {strings.Repeat("x", 2<<20)}})
		mustStatus(t, r, http.StatusRequestEntityTooLarge)
		mustTestID(t, r, "error-page")
	})
	t.Run("wrong method", func(t *testing.T) {
		r := b.get("/sign-out")
		if r.status != http.StatusMethodNotAllowed && r.status != http.StatusNotFound {
			t.Fatalf("status = %d", r.status)
		}
		mustTestID(t, r, "error-page")
	})
	t.Run("bad page number", func(t *testing.T) {
		mustStatus(t, b.get("/notes?page=abc"), http.StatusBadRequest)
	})
	t.Run("token rejected by GraphQL signs out", func(t *testing.T) {
		foreign := mustBackend(t, map[string]string{"HASURA_GRAPHQL_JWT_SECRET": `{"type":"HS256","key":"another-key-0123456789abcdef0123456789"}`})
		jb, _ := mustApp(t, nil, func(o *web.Options) { o.GraphQLURL = foreign.URL + "/v1/graphql" })
		jb.signIn("jwtbad")
		r := jb.get("/notes")
		mustStatus(t, r, http.StatusSeeOther)
		mustHeader(t, r, "Location", "/sign-in")
		r = jb.get("/sign-in")
		mustTestID(t, r, "sign-in-page", "toast")
	})
	t.Run("dead session on an htmx request", func(t *testing.T) {
		db, dbe := mustApp(t, nil, anHourLater)
		db.signIn("dead")
		dbe.signOutEverywhere("dead@example.com", testPassword)
		r := db.do("GET", "/notes", nil, map[string]string{"HX-Request": "true", "HX-Target": "note-list"})
		mustStatus(t, r, http.StatusOK)
		mustHeader(t, r, "HX-Redirect", "/sign-in")
	})
}
