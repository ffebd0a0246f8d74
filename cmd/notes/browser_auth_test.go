package main

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
)

// testPassword satisfies the auth server's default minimum length.
const testPassword = "correct-horse-battery"

// newestInboxLink selects the first link of the newest dev-inbox message
// sent to email (the inbox lists newest first).
func newestInboxLink(email string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(
		`(//*[@data-testid="inbox-message"][.//*[@data-testid="inbox-to"][normalize-space()=%s]]//*[@data-testid="inbox-link"])[1]`,
		xpathLiteral(email)))
}

// followInboxLink goes from a "check your email" page to the dev inbox and
// follows the newest link sent to email, which signs the user in.
func (b *tab) followInboxLink(email string) {
	b.t.Helper()
	b.do(
		chromedp.WaitVisible(withText("check-email-address", email)),
		chromedp.Click(tid("link-dev-inbox")),
		chromedp.WaitVisible(tid("dev-inbox-page")),
		chromedp.Click(newestInboxLink(email)),
		chromedp.WaitVisible(tid("notes-page")),
	)
}

// signUp creates an account through the sign-up form and verifies its
// email through the dev inbox (verification is required by default); the
// tab ends signed in on /notes.
func (b *tab) signUp(email string) {
	b.t.Helper()
	b.do(
		b.open("/sign-up"),
		typeInto(in("sign-up-form", "input-email"), email),
		typeInto(in("sign-up-form", "input-password"), testPassword),
		chromedp.Click(tid("sign-up-submit")),
		chromedp.WaitVisible(tid("check-email-page")),
	)
	b.followInboxLink(email)
}

// signIn signs in with email and password; the tab ends on /notes.
func (b *tab) signIn(email string) {
	b.t.Helper()
	b.do(
		b.open("/sign-in"),
		typeInto(in("sign-in-form", "input-email"), email),
		typeInto(in("sign-in-form", "input-password"), testPassword),
		chromedp.Click(tid("sign-in-submit")),
		chromedp.WaitVisible(tid("notes-page")),
	)
}

// signOut signs out from the header and proves /notes is closed again.
func (b *tab) signOut() {
	b.t.Helper()
	b.do(
		chromedp.Click(tid("sign-out")),
		chromedp.WaitVisible(tid("sign-in-page")),
		b.open("/notes"),
		chromedp.WaitVisible(tid("sign-in-page")),
	)
}

// TestBrowserSignUpVerifiesEmailThroughDevInbox is the first run: the
// landing page's sign-in link, sign up, "check your email", the dev inbox,
// the verification link, signed in on /notes with an empty list.
func TestBrowserSignUpVerifiesEmailThroughDevInbox(t *testing.T) {
	t.Parallel()
	inst := startInstance(t, nil)
	b := mustTab(t, inst.URL)
	const email = "ada@example.com"

	b.do(
		b.open("/"),
		chromedp.WaitVisible(tid("landing-page")),
		chromedp.Click(tid("landing-sign-in")),
		chromedp.WaitVisible(tid("sign-in-page")),
		chromedp.Click(tid("link-sign-up")),
		chromedp.WaitVisible(tid("sign-up-page")),
		typeInto(in("sign-up-form", "input-email"), email),
		typeInto(in("sign-up-form", "input-password"), testPassword),
		chromedp.Click(tid("sign-up-submit")),
		chromedp.WaitVisible(tid("check-email-page")),
	)
	// Unverified, the password alone does not open the notes: signing in
	// sends the user back to "check your email".
	b.do(
		b.open("/notes"),
		chromedp.WaitVisible(tid("sign-in-page")),
		typeInto(in("sign-in-form", "input-email"), email),
		typeInto(in("sign-in-form", "input-password"), testPassword),
		chromedp.Click(tid("sign-in-submit")),
		chromedp.WaitVisible(tid("check-email-page")),
		chromedp.WaitVisible(withText("check-email-address", email)),
	)
	b.do(
		b.open("/dev/inbox"),
		chromedp.WaitVisible(withText("inbox-to", email)),
		chromedp.Click(newestInboxLink(email)),
		chromedp.WaitVisible(tid("notes-page")),
		chromedp.WaitVisible(tid("empty-state")),
		waitCount(0),
		chromedp.WaitVisible(withText("user-role", "user")),
	)
	if got := mustRun(b, chromedp.Location()); got != inst.URL+"/notes" {
		t.Errorf("after verification the tab is at %s, want %s/notes", got, inst.URL)
	}
	// The session is a cookie: a reload and a fresh visit stay signed in.
	b.do(
		chromedp.Reload(),
		chromedp.WaitVisible(tid("notes-page")),
		b.open("/"),
		chromedp.WaitVisible(tid("notes-page")),
	)
}

// TestBrowserMagicLinkSignsIn signs in twice through a link from the dev
// inbox, with JavaScript on and off: first as a new user (the link creates
// the account), then again after signing out; a used link is refused with
// a message.
func TestBrowserMagicLinkSignsIn(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		opts []tabOption
	}{
		{"javascript", nil},
		{"no-javascript", []tabOption{withoutJavaScript}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			inst := startInstance(t, nil)
			b := mustTab(t, inst.URL, c.opts...)
			const email = "grace@example.com"

			for range 2 {
				b.do(
					b.open("/sign-in"),
					typeInto(tid("input-magic-email"), email),
					chromedp.Click(tid("magic-link-submit")),
					chromedp.WaitVisible(tid("check-email-page")),
				)
				b.followInboxLink(email)
				b.do(waitCount(0))
				b.signOut()
			}
			b.do(
				b.open("/dev/inbox"),
				chromedp.Click(newestInboxLink(email)),
				chromedp.WaitVisible(tid("sign-in-page")),
				chromedp.WaitVisible(containingText("toast", "expired or was already used")),
			)
		})
	}
}

// smsCode finds the six-digit code in a text message.
var smsCode = regexp.MustCompile(`\b\d{6}\b`)

// TestBrowserSMSCodeSignsIn signs in with a code texted to a phone: the
// code page, the dev inbox read in a second tab, a wrong code refused, the
// right one signing in.
func TestBrowserSMSCodeSignsIn(t *testing.T) {
	t.Parallel()
	inst := startInstance(t, nil)
	b := mustTab(t, inst.URL)
	const phone = "+15551234567"

	b.do(
		b.open("/sign-in"),
		typeInto(tid("input-phone"), phone),
		chromedp.Click(tid("sms-submit")),
		chromedp.WaitVisible(tid("sms-code-page")),
	)

	inbox := mustTab(t, inst.URL)
	inbox.do(
		inbox.open("/dev/inbox"),
		chromedp.WaitVisible(withText("inbox-to", phone)),
	)
	body := mustRun(inbox, chromedp.Text(chromedp.Search(fmt.Sprintf(
		`(//*[@data-testid="inbox-message"][.//*[@data-testid="inbox-to"][normalize-space()=%s]]//*[@data-testid="inbox-body"])[1]`,
		xpathLiteral(phone)))))
	code := smsCode.FindString(body)
	if code == "" {
		t.Fatalf("no code in the text message %q", body)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}

	b.expectStatus(422, inst.URL+"/sign-in/sms/verify")
	b.do(
		typeInto(in("sms-verify-form", "input-otp"), wrong),
		chromedp.Click(tid("sms-verify-submit")),
		chromedp.WaitVisible(tid("sms-code-page")),
		chromedp.WaitVisible(chromedp.Search(`//*[@data-testid="form-error" or @data-testid="error-otp"]`)),
		typeInto(in("sms-verify-form", "input-otp"), code),
		chromedp.Click(tid("sms-verify-submit")),
		chromedp.WaitVisible(tid("notes-page")),
		waitCount(0),
	)
	b.createNote("Texted in", "", 1)
	b.signOut()
}
