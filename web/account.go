package web

import (
	"errors"
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/views"
)

// handlePasswordReset answers POST /sign-in/reset-password: the auth
// service emails a link that signs the user in and lands on
// /account/password. It answers the same for unknown addresses.
func (a *app) handlePasswordReset(c echo.Context) error {
	var f credentialsForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	f.Password = "-"
	if errs := f.Valid(); errs["email"] != "" {
		return a.render(c, http.StatusUnprocessableEntity, "Sign in",
			views.SignInPage(a.signInProps(f.Email, views.Errors{"reset": errs["email"]})), nil)
	}
	redirectTo, challenge := a.startFlow(c)
	err := a.auth.ResetPassword(c.Request().Context(), f.Email, redirectTo, challenge)
	if errors.Is(err, auth.ErrInvalidInput) || errors.Is(err, auth.ErrDisabled) {
		return a.render(c, http.StatusUnprocessableEntity, "Sign in",
			views.SignInPage(a.signInProps(f.Email, views.Errors{"reset": "We cannot send a reset link right now."})), nil)
	}
	if err != nil {
		return err
	}
	return a.render(c, http.StatusOK, "Check your email", views.CheckEmailPage(views.CheckEmailProps{
		Email:    f.Email,
		Reason:   "If an account uses this address, we emailed it a link to choose a new password. It works once, for one hour.",
		DevInbox: a.inboxAllowed(c),
	}), nil)
}

// handlePasswordPage answers GET /account/password.
func (a *app) handlePasswordPage(c echo.Context) error {
	return a.render(c, http.StatusOK, "New password", views.ChangePasswordPage(views.ChangePasswordProps{}), nil)
}

// handlePasswordChange answers POST /account/password. Newer auth services
// revoke every session on a password change, so the user is signed in
// again with the new password.
func (a *app) handlePasswordChange(c echo.Context) error {
	u := currentUser(c)
	var f credentialsForm
	if err := c.Bind(&f); err != nil {
		return err
	}
	again := func(msg string) error {
		return a.render(c, http.StatusUnprocessableEntity, "New password",
			views.ChangePasswordPage(views.ChangePasswordProps{Errors: views.Errors{"password": msg}}), nil)
	}
	switch n := utf8.RuneCountInString(f.Password); {
	case n == 0:
		return again("Enter a new password.")
	case n > maxPassword:
		return again("Use at most 50 characters.")
	}
	err := a.auth.ChangePassword(c.Request().Context(), u.Token, f.Password)
	if errors.Is(err, auth.ErrInvalidInput) {
		return again("Choose a longer or less common password.")
	}
	if err != nil {
		return err
	}
	if u.Email != "" {
		if sess, err := a.auth.SignInEmailPassword(c.Request().Context(), u.Email, f.Password); err == nil {
			return a.signedIn(c, sess, "Password changed.", "/notes")
		}
	}
	s := a.session(c)
	s.SignOut()
	s.SetFlash("success", "Password changed. Sign in with your new password.")
	s.dirty = true
	return redirect(c, "/sign-in")
}
