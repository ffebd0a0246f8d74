package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/notes-app/notes/static"
)

// routes registers every route of the app.
func (a *app) routes(e *echo.Echo, https bool) {
	e.Use(
		middleware.RequestID(),
		passClientIP,
		a.logRequests,
		middleware.Recover(),
		securityHeaders(https),
		middleware.BodyLimit("1M"),
	)

	e.GET("/healthz", handleHealth)
	e.HEAD("/healthz", handleHealth)
	e.GET(static.Prefix+"*", echo.WrapHandler(static.Handler()))

	s := e.Group("", crossOriginCheck(a.public), a.loadSession, a.checkCSRF)
	s.GET("/", a.handleLanding)
	s.GET("/sign-in", a.handleSignInPage)
	s.POST("/sign-in", a.handleSignIn)
	s.GET("/sign-up", a.handleSignUpPage)
	s.POST("/sign-up", a.handleSignUp)
	s.POST("/sign-in/magic-link", a.handleMagicLink)
	s.POST("/sign-in/reset-password", a.handlePasswordReset)
	s.POST("/sign-in/sms", a.handleSMSStart)
	s.POST("/sign-in/sms/verify", a.handleSMSVerify)
	s.GET("/sign-in/provider/:provider", a.handleProvider)
	s.GET("/auth/callback", a.handleAuthCallback)
	s.POST("/sign-out", a.handleSignOut)
	s.GET("/dev/inbox", a.handleDevInbox)
	s.GET("/public", a.handlePublicList)
	s.GET("/public/:id", a.handlePublicShow)

	s.POST("/role", a.handleRoleSwitch, a.requireUser)
	s.GET("/playground", a.handlePlayground)
	s.POST("/playground", a.handlePlaygroundRun)
	s.GET("/tutorial", a.handleTutorial)

	tok := s.Group("/token", a.requireUser)
	tok.GET("", a.handleToken)
	tok.POST("/refresh", a.handleTokenRefresh)

	adm := s.Group("/admin", a.adminOnlyStandalone)
	adm.GET("", a.handleAdminLoginPage)
	adm.POST("", a.handleAdminLogin)
	adm.POST("/logout", a.handleAdminLogout)
	adm.GET("/users", a.handleAdminUsers, a.requireAdmin)
	adm.POST("/users", a.handleAdminUserCreate, a.requireAdmin)
	adm.POST("/users/:id/verify", a.handleAdminUserVerify, a.requireAdmin)
	adm.POST("/users/:id/disable", a.handleAdminUserDisable, a.requireAdmin)
	adm.POST("/users/:id/roles", a.handleAdminUserRoles, a.requireAdmin)
	adm.POST("/users/:id/delete", a.handleAdminUserDelete, a.requireAdmin)
	adm.GET("/notes", a.handleAdminNotes, a.requireAdmin)
	adm.POST("/notes", a.handleAdminNoteInsert, a.requireAdmin)
	adm.GET("/permissions", a.handleAdminPermissions, a.requireAdmin)

	acct := s.Group("/account", a.requireUser)
	acct.GET("/password", a.handlePasswordPage)
	acct.POST("/password", a.handlePasswordChange)

	n := s.Group("/notes", a.requireUser)
	n.GET("", a.handleNoteList)
	n.POST("", a.handleNoteCreate)
	n.GET("/:id", a.handleNoteShow)
	n.GET("/:id/edit", a.handleNoteEdit)
	n.POST("/:id", a.handleNoteUpdate)
	n.PUT("/:id", a.handleNoteUpdate)
	n.POST("/:id/delete", a.handleNoteDelete)
	n.DELETE("/:id", a.handleNoteDelete)
}

// handleHealth answers GET /healthz.
func handleHealth(c echo.Context) error {
	return c.String(http.StatusOK, "ok")
}
