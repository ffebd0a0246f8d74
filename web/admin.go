package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/notes-app/notes/graph"
	"github.com/notes-app/notes/views"
)

// Admin secret attempts: a burst of adminBurst, then one per adminEvery,
// per client IP.
const (
	adminBurst    = 5
	adminEvery    = 10 * time.Second
	maxLimiterIPs = 10000
)

const adminKey = "notes.admin"

// ipLimiter rate limits per client IP on the app's clock.
type ipLimiter struct {
	mu sync.Mutex
	m  map[string]*rate.Limiter
}

// allow spends one attempt of ip at now.
func (l *ipLimiter) allow(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil || len(l.m) >= maxLimiterIPs {
		l.m = map[string]*rate.Limiter{}
	}
	lim, ok := l.m[ip]
	if !ok {
		lim = rate.NewLimiter(rate.Every(adminEvery), adminBurst)
		l.m[ip] = lim
	}
	return lim.AllowN(now, 1)
}

// secretEqual compares in constant time, whatever the lengths.
func secretEqual(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1 && a != ""
}

// handleAdminLoginPage answers GET /admin: the admin secret form, or the
// users page once the session holds a verified secret.
func (a *app) handleAdminLoginPage(c echo.Context) error {
	if a.adminUnlocked(a.session(c)) {
		return redirect(c, "/admin/users")
	}
	return a.render(c, http.StatusOK, "Admin", views.AdminLoginPage(views.AdminLoginProps{}), nil)
}

// handleAdminLogin answers POST /admin: it keeps the admin secret in the
// session only when it is right. Attempts are rate limited per client IP.
func (a *app) handleAdminLogin(c echo.Context) error {
	if !a.adminLimit.allow(c.RealIP(), a.now()) {
		c.Response().Header().Set("Retry-After", "10")
		return a.render(c, http.StatusTooManyRequests, "Admin", views.AdminLoginPage(views.AdminLoginProps{
			Error: "Too many attempts. Wait a little and try again.",
		}), nil)
	}
	if !secretEqual(c.FormValue("secret"), a.secret) {
		return a.render(c, http.StatusUnauthorized, "Admin", views.AdminLoginPage(views.AdminLoginProps{
			Error: "That is not the admin secret.",
		}), nil)
	}
	s := a.session(c)
	s.AdminSecret = a.secret
	a.extendAdmin(s)
	s.SetFlash("success", "Admin secret accepted. The console stays unlocked in this browser while you use it (an hour after your last admin page), until you sign out.")
	return redirect(c, "/admin/users")
}

// handleAdminLogout answers POST /admin/logout: it forgets the secret.
func (a *app) handleAdminLogout(c echo.Context) error {
	s := a.session(c)
	s.AdminSecret, s.AdminUntil = "", 0
	s.SetFlash("info", "The admin secret is forgotten.")
	s.dirty = true
	return redirect(c, "/admin")
}

// requireAdmin lets through only sessions holding the verified admin
// secret, and puts an admin GraphQL client in the request.
func (a *app) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := a.session(c)
		if !a.adminUnlocked(s) {
			s.AdminSecret, s.AdminUntil = "", 0
			s.SetFlash("info", "Enter the admin secret first.")
			s.dirty = true
			return redirect(c, "/admin")
		}
		a.extendAdmin(s)
		c.Set(adminKey, a.graph.WithAdminSecret(a.secret))
		return next(c)
	}
}

// adminUnlockFor is how long the admin console stays unlocked after its
// last use.
const adminUnlockFor = time.Hour

// adminUnlocked reports whether the session holds the verified admin
// secret and its unlock has not run out.
func (a *app) adminUnlocked(s *reqSession) bool {
	return secretEqual(s.AdminSecret, a.secret) && a.now().Unix() < s.AdminUntil
}

// extendAdmin keeps the unlock for another adminUnlockFor.
func (a *app) extendAdmin(s *reqSession) {
	s.AdminUntil = a.now().Add(adminUnlockFor).Unix()
	s.dirty = true
}

// adminGraph returns the admin client requireAdmin put in the request.
func adminGraph(c echo.Context) *graph.Client {
	g, _ := c.Get(adminKey).(*graph.Client)
	return g
}

// errNoAdmin hides /admin in remote mode.
var errNoAdmin = echo.NewHTTPError(http.StatusNotFound)

// adminOnlyStandalone answers 404 for /admin in remote mode.
func (a *app) adminOnlyStandalone(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !a.standalone || a.secret == "" {
			return errNoAdmin
		}
		return next(c)
	}
}
