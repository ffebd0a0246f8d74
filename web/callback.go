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

// handleAuthCallback answers GET /auth/callback, where magic links, email
// verification and providers hand back a refreshToken (or an error).
func (a *app) handleAuthCallback(c echo.Context) error {
	if code := c.QueryParam("error"); code != "" {
		msg := callbackErrors[code]
		if msg == "" {
			msg = "Sign-in did not complete. Please try again."
		}
		a.log.Info("auth callback error", "code", code, "request_id", requestID(c))
		a.flash(c, "error", msg)
		return redirect(c, "/sign-in")
	}
	rt := c.QueryParam("refreshToken")
	if rt == "" {
		if c.QueryParam("type") == "verifyEmail" {
			a.flash(c, "success", "Your email is verified. Sign in to continue.")
		}
		return redirect(c, "/sign-in")
	}
	sess, err := a.auth.RefreshToken(c.Request().Context(), rt)
	if errors.Is(err, auth.ErrUnauthenticated) || errors.Is(err, auth.ErrInvalidInput) {
		a.flash(c, "error", "This link has expired or was already used. Ask for a new one.")
		return redirect(c, "/sign-in")
	}
	if err != nil {
		return err
	}
	typ := c.QueryParam("type")
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
