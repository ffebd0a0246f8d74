package web

import (
	"errors"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
)

// callbackErrors are fixed texts for the error codes the auth service puts
// on its redirects; the server's errorDescription is never shown.
var callbackErrors = map[string]string{
	"invalid-ticket":             "This link has expired or was already used. Ask for a new one.",
	"redirectTo-not-allowed":     "The sign-in service refused to send you back here. Check AUTH_CLIENT_URL.",
	"disabled-endpoint":          "This sign-in method is not enabled.",
	"disabled-user":              "This account is disabled.",
	"invalid-state":              "The sign-in took too long. Please try again.",
	"oauth-provider-error":       "The provider did not let you sign in.",
	"user-already-exists":        "An account with this email already exists. Sign in with it first.",
	"invalid-email-password":     "This account may not sign in here.",
	"unverified-user":            "Verify your email address first: we sent you a link.",
	"signup-disabled":            "Sign-up is disabled on this server.",
	"email-already-verified":     "Your email is already verified. Sign in.",
	"oauth-profile-fetch-failed": "The provider did not share your profile. Please try again.",
	"oauth-token-echange-failed": "The provider sign-in failed. Please try again.",
}

var callbackWelcome = map[string]string{
	"verifyEmail":        "Your email is verified. Welcome to Notes.",
	"passwordlessEmail":  "Signed in with your link.",
	"passwordReset":      "Signed in with your reset link. Choose a new password.",
	"emailConfirmChange": "Your new email address is confirmed.",
}

// Texts of a hand-off the app refuses or cannot finish.
const (
	msgLinkUsed     = "This link has expired or was already used. Ask for a new one."
	msgOtherBrowser = "This link was asked for in another browser. Open it there, or ask for a new one here."
	msgVerifiedOnly = "Your email is verified. Sign in to continue."
	msgPKCEMissing  = "The sign-in service cannot finish secure sign-in links (it lacks PKCE, POST /token/exchange). Ask the operator to upgrade Nhost Auth."
	flowParam       = "flow"
	logPKCEMissing  = "auth service lacks PKCE: upgrade Nhost Auth to a version with POST /token/exchange"
)

// startFlow begins a PKCE hand-off: a new code verifier goes into the
// session, and the auth service gets its S256 challenge and a redirectTo
// naming the flow. Only the browser holding this session can turn the
// code the redirect brings back into a session (no login CSRF).
func (a *app) startFlow(c echo.Context) (redirectTo, challenge string) {
	s := a.session(c)
	id, challenge := s.StartFlow()
	s.dirty = true
	return a.callbackURL() + "?" + flowParam + "=" + id, challenge
}

// handleAuthCallback answers GET /auth/callback, where magic links, email
// verification, password reset and providers hand back a PKCE code (or an
// error). The code is exchanged with the verifier of the flow this session
// started; anything else signs nobody in.
//
// A refreshToken hand-off is never accepted: every flow the app starts
// sends a code challenge (sign-up, magic link, verification email, password
// reset, provider sign-in), so a refreshToken here comes from a link the
// app did not start with PKCE: a verification or change-email link sent by
// another client or the Nhost dashboard, an admin-created account, a link
// made before PKCE, or an auth service too old to honour codeChallenge.
// Taking it would let whoever made the link sign this browser into their
// account. The remaining gap: such links still verify the address on the
// auth service before they reach us (we then ask the user to sign in), and
// a PKCE link only works in the browser that asked for it.
func (a *app) handleAuthCallback(c echo.Context) error {
	s := a.session(c)
	verifier, ours := s.TakeFlow(c.QueryParam(flowParam))
	if ours {
		s.dirty = true
	}
	typ := c.QueryParam("type")
	fail := func(kind, msg string) error {
		a.flash(c, kind, msg)
		return redirect(c, "/sign-in")
	}
	if code := c.QueryParam("error"); code != "" {
		msg := callbackErrors[code]
		if msg == "" {
			msg = "Sign-in did not complete. Please try again."
		}
		a.log.Info("auth callback error", "code", code, "request_id", requestID(c))
		return fail("error", msg)
	}
	if rt := c.QueryParam("refreshToken"); rt != "" {
		if err := a.auth.SignOut(c.Request().Context(), rt); err != nil {
			a.log.Warn("revoke refused hand-off", "err", err, "request_id", requestID(c))
		}
		switch {
		case ours:
			a.log.Error(logPKCEMissing, "detail", "a PKCE flow came back with a refreshToken", "request_id", requestID(c))
			return fail("error", msgPKCEMissing)
		case typ == "verifyEmail":
			return fail("success", msgVerifiedOnly)
		}
		return fail("error", msgOtherBrowser)
	}
	code := c.QueryParam("code")
	switch {
	case (code == "" || !ours) && typ == "verifyEmail":
		return fail("success", msgVerifiedOnly)
	case code == "":
		return redirect(c, "/sign-in")
	case !ours:
		return fail("error", msgOtherBrowser)
	}
	sess, err := a.auth.ExchangeCode(c.Request().Context(), code, verifier)
	switch {
	case errors.Is(err, auth.ErrPKCEUnsupported):
		a.log.Error(logPKCEMissing, "err", err, "request_id", requestID(c))
		return fail("error", msgPKCEMissing)
	case errors.Is(err, auth.ErrUnauthenticated), errors.Is(err, auth.ErrInvalidInput), errors.Is(err, auth.ErrInvalidCredentials):
		return fail("error", msgLinkUsed)
	case err != nil:
		return err
	}
	msg := callbackWelcome[typ]
	if msg == "" {
		msg = "Signed in."
	}
	if typ == "passwordReset" {
		return a.signedIn(c, sess, msg, "/account/password")
	}
	return a.signedIn(c, sess, msg, "/notes")
}

// handleSignOut answers POST /sign-out: the refresh token is revoked and
// the cookie starts over.
func (a *app) handleSignOut(c echo.Context) error {
	s := a.session(c)
	if s.RefreshToken != "" {
		if err := a.auth.SignOut(c.Request().Context(), s.RefreshToken); err != nil {
			a.log.Warn("sign out", "err", err, "request_id", requestID(c))
		}
	}
	s.SignOut()
	s.SetFlash("success", "Signed out.")
	s.dirty = true
	return redirect(c, "/sign-in")
}
