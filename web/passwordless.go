package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/views"
)

// handleMagicLink answers POST /sign-in/magic-link.
func (a *app) handleMagicLink(c echo.Context) error {
	var f credentialsForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.Password = "-"
	if errs := f.Valid(); errs["email"] != "" {
		return a.render(c, http.StatusUnprocessableEntity, "Sign in",
			views.SignInPage(a.signInProps(f.Email, views.Errors{"magic": errs["email"]})), nil)
	}
	redirectTo, challenge := a.startFlow(c)
	err := a.auth.SignInPasswordlessEmail(c.Request().Context(), f.Email, redirectTo, challenge)
	if errors.Is(err, auth.ErrDisabled) || errors.Is(err, auth.ErrInvalidCredentials) || errors.Is(err, auth.ErrInvalidInput) {
		msg := "Sign-in links are not enabled on this server."
		if !errors.Is(err, auth.ErrDisabled) {
			msg = "We cannot send a sign-in link to this address."
		}
		return a.render(c, http.StatusUnprocessableEntity, "Sign in",
			views.SignInPage(a.signInProps(f.Email, views.Errors{"magic": msg})), nil)
	}
	if err != nil {
		return err
	}
	return a.render(c, http.StatusOK, "Check your email", views.CheckEmailPage(views.CheckEmailProps{
		Email:    f.Email,
		Reason:   "We emailed you a sign-in link. It works once, for one hour.",
		DevInbox: a.inboxAllowed(c),
	}), nil)
}

// handleSMSStart answers POST /sign-in/sms: it texts a code.
func (a *app) handleSMSStart(c echo.Context) error {
	var f phoneForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	page := func(errs views.Errors) error {
		p := a.signInProps("", errs)
		p.Phone = f.Phone
		return a.render(c, http.StatusUnprocessableEntity, "Sign in", views.SignInPage(p), nil)
	}
	if errs := f.Valid(false); len(errs) > 0 {
		return page(errs)
	}
	err := a.auth.SignInPasswordlessSMS(c.Request().Context(), f.Phone)
	switch {
	case errors.Is(err, auth.ErrDisabled):
		return page(views.Errors{"phone": "Sign-in by text message is not enabled on this server."})
	case errors.Is(err, auth.ErrInvalidInput), errors.Is(err, auth.ErrInvalidCredentials):
		return page(views.Errors{"phone": "We could not send a text to this number."})
	case err != nil:
		return err
	}
	return a.render(c, http.StatusOK, "Enter your code", views.SMSCodePage(views.SMSCodeProps{Phone: f.Phone, DevInbox: a.inboxAllowed(c)}), nil)
}

// handleSMSVerify answers POST /sign-in/sms/verify.
func (a *app) handleSMSVerify(c echo.Context) error {
	var f phoneForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	page := func(errs views.Errors) error {
		return a.render(c, http.StatusUnprocessableEntity, "Enter your code",
			views.SMSCodePage(views.SMSCodeProps{Phone: f.Phone, Errors: errs, DevInbox: a.inboxAllowed(c)}), nil)
	}
	if errs := f.Valid(true); len(errs) > 0 {
		return page(errs)
	}
	sess, err := a.auth.VerifySMSOTP(c.Request().Context(), f.Phone, f.OTP)
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials), errors.Is(err, auth.ErrInvalidInput):
		return page(views.Errors{"otp": "That code is wrong or has expired."})
	case errors.Is(err, auth.ErrRateLimited):
		return page(views.Errors{"otp": "Too many wrong codes. Ask for a new one."})
	case errors.Is(err, auth.ErrDisabled):
		return page(views.Errors{"": "This account or sign-in method is disabled."})
	case err != nil:
		return err
	}
	return a.signedIn(c, sess, "Signed in.", "/notes")
}

// handleProvider answers GET /sign-in/provider/:provider: off to the
// auth service, which sends the browser to the provider.
func (a *app) handleProvider(c echo.Context) error {
	p := c.Param("provider")
	if !slices.Contains(a.providers, p) {
		return echo.ErrNotFound
	}
	redirectTo, challenge := a.startFlow(c)
	return c.Redirect(http.StatusSeeOther, a.auth.ProviderURL(p, redirectTo, challenge))
}
