package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/views"
)

// providerLabels names the providers of Nhost's list for their buttons.
var providerLabels = map[string]string{
	"github": "GitHub", "google": "Google", "facebook": "Facebook", "linkedin": "LinkedIn",
	"spotify": "Spotify", "apple": "Apple", "discord": "Discord", "twitch": "Twitch",
	"gitlab": "GitLab", "bitbucket": "Bitbucket", "workos": "WorkOS", "azuread": "Azure AD",
	"entraid": "Microsoft Entra ID", "strava": "Strava", "windowslive": "Windows Live", "twitter": "X",
}

func (a *app) signInProps(email string, errs views.Errors) views.SignInProps {
	p := views.SignInProps{Email: email, Errors: errs, MagicLink: true, SMS: true}
	for _, name := range a.providers {
		label := providerLabels[name]
		if label == "" {
			label = name
		}
		p.Providers = append(p.Providers, views.Provider{Name: name, Label: label, URL: "/sign-in/provider/" + name})
	}
	return p
}

// handleSignInPage answers GET /sign-in.
func (a *app) handleSignInPage(c echo.Context) error {
	if a.session(c).SignedIn() {
		return redirect(c, "/notes")
	}
	return a.render(c, http.StatusOK, "Sign in", views.SignInPage(a.signInProps("", nil)), nil)
}

// handleSignIn answers POST /sign-in (email + password).
func (a *app) handleSignIn(c echo.Context) error {
	var f credentialsForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	if errs := f.Valid(); len(errs) > 0 {
		return a.render(c, http.StatusUnprocessableEntity, "Sign in", views.SignInPage(a.signInProps(f.Email, errs)), nil)
	}
	sess, err := a.auth.SignInEmailPassword(c.Request().Context(), f.Email, f.Password)
	if errors.Is(err, auth.ErrUnverified) {
		redirectTo, challenge := a.startFlow(c)
		_ = a.auth.SendVerificationEmail(c.Request().Context(), f.Email, redirectTo, challenge)
		return a.render(c, http.StatusOK, "Check your email", views.CheckEmailPage(views.CheckEmailProps{
			Email:    f.Email,
			Reason:   "Your email address is not verified yet. Open the link we sent to finish signing in.",
			DevInbox: a.inboxAllowed(c),
		}), nil)
	}
	if errors.Is(err, auth.ErrRateLimited) {
		return a.render(c, http.StatusTooManyRequests, "Sign in",
			views.SignInPage(a.signInProps(f.Email, views.Errors{"": "Too many sign-in attempts right now. Wait a moment and try again."})), nil)
	}
	if msg := signInProblem(err); msg != "" {
		return a.render(c, http.StatusUnprocessableEntity, "Sign in", views.SignInPage(a.signInProps(f.Email, views.Errors{"": msg})), nil)
	}
	if err != nil {
		return err
	}
	return a.signedIn(c, sess, "Welcome back.", "/notes")
}

// signInProblem turns an auth failure the user can fix into a form message.
func signInProblem(err error) string {
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials):
		return "Incorrect email or password."
	case errors.Is(err, auth.ErrDisabled):
		return "This account or sign-in method is disabled."
	case errors.Is(err, auth.ErrMFARequired):
		return "This account uses two-factor sign-in, which this app does not support yet."
	case errors.Is(err, auth.ErrInvalidInput):
		return "The sign-in service did not accept these details."
	}
	return ""
}

// signedIn starts a fresh session and goes to path.
func (a *app) signedIn(c echo.Context, sess auth.Session, msg, path string) error {
	s := a.session(c)
	s.SignIn(sess, a.now())
	s.SetFlash("success", msg)
	s.dirty = true
	return redirect(c, path)
}

// handleSignUpPage answers GET /sign-up.
func (a *app) handleSignUpPage(c echo.Context) error {
	if a.session(c).SignedIn() {
		return redirect(c, "/notes")
	}
	return a.render(c, http.StatusOK, "Create account", views.SignUpPage(views.SignUpProps{}), nil)
}

// handleSignUp answers POST /sign-up.
func (a *app) handleSignUp(c echo.Context) error {
	var f credentialsForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	again := func(errs views.Errors) error {
		return a.render(c, http.StatusUnprocessableEntity, "Create account",
			views.SignUpPage(views.SignUpProps{Email: f.Email, DisplayName: f.DisplayName, Errors: errs}), nil)
	}
	if errs := f.Valid(); len(errs) > 0 {
		return again(errs)
	}
	redirectTo, challenge := a.startFlow(c)
	opts := auth.SignUpOptions{DisplayName: f.DisplayName, RedirectTo: redirectTo, CodeChallenge: challenge}
	sess, err := a.auth.SignUpEmailPassword(c.Request().Context(), f.Email, f.Password, opts)
	var apiErr *auth.APIError
	switch {
	case errors.Is(err, auth.ErrUnverified):
		return a.render(c, http.StatusOK, "Check your email", views.CheckEmailPage(views.CheckEmailProps{
			Email:    f.Email,
			Reason:   "Your account is ready. Open the link we emailed you to verify your address, then you are in.",
			DevInbox: a.inboxAllowed(c),
		}), nil)
	case errors.Is(err, auth.ErrConflict):
		return again(views.Errors{"email": "An account with this email already exists. Sign in instead."})
	case errors.Is(err, auth.ErrDisabled):
		return again(views.Errors{"": "Sign-up is disabled on this server."})
	case errors.As(err, &apiErr) && (apiErr.Code == "password-too-short" || apiErr.Code == "password-in-hibp-database"):
		return again(views.Errors{"password": "Choose a longer or less common password."})
	case errors.Is(err, auth.ErrInvalidInput), errors.Is(err, auth.ErrInvalidCredentials):
		return again(views.Errors{"": "The sign-up service did not accept these details."})
	case err != nil:
		return err
	}
	return a.signedIn(c, sess, "Welcome to Notes.", "/notes")
}
