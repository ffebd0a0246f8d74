package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var cardID = regexp.MustCompile(`data-testid="note-card" data-note-id="([0-9a-f-]{36})"`)

// mustCards returns the note ids of the cards on a page, in order.
func mustCards(t *testing.T, r response) []string {
	t.Helper()
	var ids []string
	for _, m := range cardID.FindAllStringSubmatch(r.body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func TestRealNotes(t *testing.T) {
	t.Parallel()
	b, _ := mustApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}, nil)
	mustStatus(t, b.post("/sign-up", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
	mustTestID(t, b.get("/notes"), "empty-state")

	for _, title := range []string{"Banana bread", "apple pie", "Cherry jam"} {
		r := b.post("/notes", url.Values{"title": {title}, "content": {"Recipe for **" + title + "** with 100% butter_"}})
		mustStatus(t, r, http.StatusSeeOther)
	}
	r := b.get("/notes?sort=title")
	ids := mustCards(t, r)
	if len(ids) != 3 {
		t.Fatalf("cards = %d", len(ids))
	}
	if i, j := strings.Index(r.body, "Banana bread"), strings.Index(r.body, "Cherry jam"); i < 0 || j < i {
		t.Errorf("sort by title: Banana at %d, Cherry at %d", i, j)
	}

	r = b.htmx("GET", "/notes?q=CHERRY", nil, "note-list")
	mustStatus(t, r, http.StatusOK)
	if got := mustCards(t, r); len(got) != 1 || !strings.Contains(r.body, "Cherry jam") {
		t.Fatalf("search CHERRY found %d", len(got))
	}
	if got := mustCards(t, b.get("/notes?q=recipe")); len(got) != 3 {
		t.Errorf("search in content found %d, want 3", len(got))
	}
	for q, want := range map[string]int{"100%": 3, "butter_": 3, "%": 3, "_": 3, "0%b": 0, "r_b": 0} {
		if got := mustCards(t, b.get("/notes?q="+url.QueryEscape(q))); len(got) != want {
			t.Errorf("search %q found %d, want %d (wildcards must match literally)", q, len(got), want)
		}
	}
	mustTestID(t, b.get("/notes?q=zzz"), "empty-state")

	id := ids[0]
	r = b.get("/notes/" + id)
	mustStatus(t, r, http.StatusOK)
	if !strings.Contains(r.body, "<strong>") {
		t.Error("markdown not rendered")
	}
	r = b.htmx("PUT", "/notes/"+id, url.Values{"title": {"Apple crumble"}, "content": {"new"}, "is_public": {"true"}}, "note-"+id)
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "note-card", "note-public")
	if !strings.Contains(r.body, "Apple crumble") {
		t.Fatal("update not shown")
	}
	r = b.htmx("DELETE", "/notes/"+ids[1], nil, "note-"+ids[1])
	mustStatus(t, r, http.StatusOK)
	mustStatus(t, b.get("/notes/"+ids[1]), http.StatusNotFound)

	t.Run("public notes", func(t *testing.T) {
		anon := b.fork()
		r := anon.get("/public")
		mustStatus(t, r, http.StatusOK)
		mustTestID(t, r, "public-notes-page", "public-note-card")
		if !strings.Contains(r.body, "Apple crumble") || strings.Contains(r.body, "Cherry jam") {
			t.Fatal("public list shows the wrong notes")
		}
		r = anon.get("/public/" + id)
		mustStatus(t, r, http.StatusOK)
		mustTestID(t, r, "public-note-page", "note-body")
		mustStatus(t, anon.get("/public/"+ids[2]), http.StatusNotFound)
		mustStatus(t, anon.get("/notes/"+id), http.StatusSeeOther)
		mustTestID(t, anon.get("/public?q=nothing-like-this"), "empty-state")
	})

	t.Run("another user sees nothing of it", func(t *testing.T) {
		eve := b.fork()
		mustStatus(t, eve.post("/sign-up", url.Values{"email": {"eve@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
		mustTestID(t, eve.get("/notes"), "empty-state")
		mustStatus(t, eve.get("/notes/"+id), http.StatusNotFound)
		mustStatus(t, eve.get("/notes/"+id+"/edit"), http.StatusNotFound)
		mustStatus(t, eve.post("/notes/"+id, url.Values{"title": {"mine now"}}), http.StatusNotFound)
		mustStatus(t, eve.post("/notes/"+id+"/delete", nil), http.StatusNotFound)
		mustStatus(t, b.get("/notes/"+id), http.StatusOK)
	})

	t.Run("pagination", func(t *testing.T) {
		for i := range 23 {
			mustStatus(t, b.post("/notes", url.Values{"title": {fmt.Sprintf("Note %02d", i)}}), http.StatusSeeOther)
		}
		r := b.get("/notes")
		mustTestID(t, r, "pagination", "page-next")
		if got := mustCards(t, r); len(got) != 20 {
			t.Fatalf("page 1 has %d", len(got))
		}
		r = b.htmx("GET", "/notes?page=2", nil, "note-list")
		if got := mustCards(t, r); len(got) != 5 {
			t.Fatalf("page 2 has %d", len(got))
		}
		if !strings.Contains(r.body, "25 notes") || !strings.Contains(r.body, "Page 2 of 2") {
			t.Fatal("count or page label wrong")
		}
	})
}
