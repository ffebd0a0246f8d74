package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var inboxLink = regexp.MustCompile(`data-testid="inbox-link">([^<]+)<`)

// followEmailLink opens the newest link of the dev inbox, lets the auth
// service redirect, and returns the app path it redirected to.
func (b *browser) followEmailLink() string {
	b.t.Helper()
	r := b.get("/dev/inbox")
	mustStatus(b.t, r, http.StatusOK)
	m := inboxLink.FindStringSubmatch(r.body)
	if m == nil {
		b.t.Fatalf("no link in the inbox:\n%s", r.body)
	}
	link := strings.ReplaceAll(m[1], "&amp;", "&")
	res, err := b.hc.Get(link)
	if err != nil {
		b.t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || res.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), b.base) {
		b.t.Fatalf("verify link answered %d to %q", res.StatusCode, loc)
	}
	return loc.RequestURI()
}

func TestRealAuthSignUpVerifySignIn(t *testing.T) {
	t.Parallel()
	b, _ := mustApp(t, nil, nil)
	r := b.post("/sign-up", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}, "displayName": {"Ann"}})
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "check-email-page", "link-dev-inbox")

	r = b.post("/sign-in", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}})
	mustTestID(t, r, "check-email-page")

	path := b.followEmailLink()
	if q := mustQuery(t, path); !strings.HasPrefix(path, "/auth/callback?") || q.Get("code") == "" || q.Get("flow") == "" || q.Has("refreshToken") {
		t.Fatalf("callback = %q", path)
	}
	r = b.get(path)
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/notes")
	r = b.get("/notes")
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "notes-page", "toast")
	if !strings.Contains(r.body, `data-testid="user-name">Ann<`) {
		t.Fatal("display name not shown")
	}
	mustStatus(t, b.get(path), http.StatusSeeOther) // a used link is refused, not an error page

	r = b.get("/token")
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "token-page", "claim-x-hasura-user-id", "claim-x-hasura-allowed-roles", "claim-exp", "claim-alg", "token-raw-value")
	r = b.post("/token/refresh", nil)
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/token")
	mustTestID(t, b.get("/token"), "token-page", "toast")

	mustStatus(t, b.post("/sign-out", nil), http.StatusSeeOther)
	mustStatus(t, b.get("/notes"), http.StatusSeeOther)
	mustStatus(t, b.get("/token"), http.StatusSeeOther)
	r = b.post("/sign-in", url.Values{"email": {"ann@example.com"}, "password": {"wrong-password-1"}})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	b.signInAs("ann@example.com", "correct-horse-battery")
	r = b.post("/sign-up", url.Values{"email": {"ann@example.com"}, "password": {"correct-horse-battery"}})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustTestID(t, r, "error-email")
}

func TestRealAuthRefreshAndPasswordless(t *testing.T) {
	t.Parallel()
	b, _ := mustApp(t, map[string]string{"AUTH_ACCESS_TOKEN_EXPIRES_IN": "30", "AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}, nil)
	r := b.post("/sign-up", url.Values{"email": {"bo@example.com"}, "password": {"correct-horse-battery"}})
	mustStatus(t, r, http.StatusSeeOther)
	for range 3 { // every request refreshes (30 s < the 60 s margin) and rotates the refresh token
		mustStatus(t, b.get("/notes"), http.StatusOK)
	}
	mustStatus(t, b.post("/sign-out", nil), http.StatusSeeOther)

	r = b.post("/sign-in/magic-link", url.Values{"email": {"bo@example.com"}})
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "check-email-page")
	r = b.get(b.followEmailLink())
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/notes")
	mustStatus(t, b.get("/notes"), http.StatusOK)

	r = b.post("/sign-in/sms", url.Values{"phone": {"+15551234567"}})
	mustStatus(t, r, http.StatusOK)
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(b.get("/dev/inbox").body)
	if code == "" {
		t.Fatal("no SMS code in the inbox")
	}
	r = b.post("/sign-in/sms/verify", url.Values{"phone": {"+15551234567"}, "otp": {code}})
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/notes")
}

func TestRealAuthPasswordReset(t *testing.T) {
	t.Parallel()
	b, _ := mustApp(t, map[string]string{"AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED": "false"}, nil)
	mustStatus(t, b.post("/sign-up", url.Values{"email": {"cy@example.com"}, "password": {"correct-horse-battery"}}), http.StatusSeeOther)
	mustStatus(t, b.post("/sign-out", nil), http.StatusSeeOther)

	r := b.post("/sign-in/reset-password", url.Values{"email": {"nope"}})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustTestID(t, r, "reset-password-form", "error-reset")
	r = b.post("/sign-in/reset-password", url.Values{"email": {"cy@example.com"}})
	mustStatus(t, r, http.StatusOK)
	mustTestID(t, r, "check-email-page")

	r = b.get(b.followEmailLink())
	mustStatus(t, r, http.StatusSeeOther)
	mustHeader(t, r, "Location", "/account/password")
	mustTestID(t, b.get("/account/password"), "change-password-form")
	r = b.post("/account/password", url.Values{"password": {""}})
	mustStatus(t, r, http.StatusUnprocessableEntity)
	mustTestID(t, r, "change-password-form", "error-password")
	r = b.post("/account/password", url.Values{"password": {"new-horse-battery-staple"}})
	mustStatus(t, r, http.StatusSeeOther)
	mustStatus(t, b.get("/notes"), http.StatusOK)

	mustStatus(t, b.post("/sign-out", nil), http.StatusSeeOther)
	mustStatus(t, b.post("/sign-in", url.Values{"email": {"cy@example.com"}, "password": {"correct-horse-battery"}}), http.StatusUnprocessableEntity)
	b.signInAs("cy@example.com", "new-horse-battery-staple")
}
