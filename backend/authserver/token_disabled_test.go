package authserver

import (
	"net/http"
	"testing"
)

// TestRefreshOfDisabledUser: a disabled user's refresh is refused with
// disabled-user and rotates nothing: once the user is enabled again, the
// same refresh token still works.
func TestRefreshOfDisabledUser(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, dbURL func(testing.TB) string) {
		e := mustEnv(t, dbURL, setup{env: map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}})
		tok := e.signUp("dora@example.com")["refreshToken"].(string)
		setDisabled := func(v bool) {
			t.Helper()
			if _, err := e.db.Exec(e.srv.d.q(`UPDATE {users} SET disabled = $1 WHERE email = $2`), v, "dora@example.com"); err != nil {
				t.Fatal(err)
			}
		}
		setDisabled(true)
		wantError(t, e.refresh(tok), http.StatusUnauthorized, "disabled-user")
		setDisabled(false)
		if r := e.refresh(tok); r.status != http.StatusOK {
			t.Fatalf("refresh after enabling again: %d %s", r.status, r.raw)
		}
	})
}
