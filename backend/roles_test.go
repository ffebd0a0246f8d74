package backend_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/notes-app/notes/internal/testenv"
)

// TestModeratorAndPublicRoles checks the nhost/ permissions of issue 5 on
// both databases: a moderator (granted by the admin, acting through
// x-hasura-role) reads every note and changes none; the public role reads
// public notes through public_notes, never user_id, never notes.
func TestModeratorAndPublicRoles(t *testing.T) {
	t.Parallel()
	for _, d := range testenv.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			srv := mustBackend(t, d.URL(t), nil)
			ann := mustSignUp(t, srv.URL, "ann@example.com")
			gql(t, srv.URL, bearer(ann), `mutation { a: insert_notes_one(object: {title: "open", is_public: true}) { id } b: insert_notes_one(object: {title: "diary"}) { id } }`)
			mo := mustSignUp(t, srv.URL, "mo@example.com")
			admin := map[string]string{"x-hasura-admin-secret": adminSecret}
			got := gql(t, srv.URL, admin, `mutation { insertAuthUserRole(object: {id: "7d3e0e52-3b0a-4a59-9a0c-3f6a1c2b9d10", userId: "`+mo.User.ID+`", role: "moderator"}) { role } }`)
			if got != `{"data":{"insertAuthUserRole":{"role":"moderator"}}}` {
				t.Fatalf("grant: %s", got)
			}
			st, body := post(t, srv.URL+"/v1/auth/token", nil, `{"refreshToken":"`+mo.RefreshToken+`"}`)
			if st != 200 || json.Unmarshal([]byte(body), &mo) != nil {
				t.Fatalf("refresh: %d %s", st, body)
			}
			asMod := bearer(mo)
			asMod["x-hasura-role"] = "moderator"

			if got := gql(t, srv.URL, asMod, `{ notes(order_by: {title: asc}) { title } }`); got != `{"data":{"notes":[{"title":"diary"},{"title":"open"}]}}` {
				t.Errorf("moderator reads %s", got)
			}
			for _, m := range []string{
				`mutation { update_notes(where: {}, _set: {title: "x"}) { affected_rows } }`,
				`mutation { delete_notes(where: {}) { affected_rows } }`,
				`mutation { insert_notes_one(object: {title: "x"}) { id } }`,
			} {
				if got := gql(t, srv.URL, asMod, m); !strings.Contains(got, `"code":"validation-failed"`) {
					t.Errorf("moderator %s: %s", m, got)
				}
			}
			if got := gql(t, srv.URL, bearer(ann), `mutation { insert_notes_one(object: {title: ""}) { id } }`); !strings.Contains(got, `"message":"check constraint of an insert/update permission has failed"`) {
				t.Errorf("blank title insert: %s", got)
			}
			asAnn := bearer(ann)
			asAnn["x-hasura-role"] = "moderator"
			if got := gql(t, srv.URL, asAnn, `{ notes { id } }`); !strings.Contains(got, `"code":"access-denied"`) {
				t.Errorf("user acting as moderator: %s", got)
			}

			if got := gql(t, srv.URL, nil, `{ notes { id title } }`); !strings.Contains(got, `field 'notes' not found in type: 'query_root'`) {
				t.Errorf("public notes: %s", got)
			}
			if got := gql(t, srv.URL, nil, `{ public_notes { user_id } }`); !strings.Contains(got, `field 'user_id' not found in type: 'public_notes'`) {
				t.Errorf("public user_id: %s", got)
			}
			if got := gql(t, srv.URL, nil, `{ public_notes { title } }`); got != `{"data":{"public_notes":[{"title":"open"}]}}` {
				t.Errorf("public reads %s", got)
			}
		})
	}
}
