// Package authserver is the embedded Nhost-compatible auth service: the
// hasura-auth HTTP API (paths, bodies, error codes and redirects as in
// shared/reference/nhost-auth.md) over the auth.* tables of the project's
// own database, SQLite or Postgres. Each endpoint lives in its own file;
// every wire error code is in errors.go.
package authserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/notes-app/notes/backend/hasurajwt"
	"github.com/notes-app/notes/backend/store"
)

// Version is reported by GET /version.
const Version = "0.47.0-notes"

// defaultMount is where the app mounts the API (Nhost's /v1/auth).
const defaultMount = "/v1/auth"

// maxBodyBytes bounds every JSON request body.
const maxBodyBytes = 64 << 10

// Options are what New needs from the wiring.
type Options struct {
	// DB holds the auth tables; run Migrate on it first.
	DB *store.DB
	// Config is the AUTH_* configuration (LoadConfig); the zero Config
	// means every default.
	Config Config
	// JWT signs access tokens (HASURA_GRAPHQL_JWT_SECRET); it must be able to sign.
	JWT *hasurajwt.Config
	// AdminSecret (HASURA_GRAPHQL_ADMIN_SECRET) guards GET /dev/outbox.
	AdminSecret string
	// Logger receives failures; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now. Tests drive tickets, token
	// lifetimes and rate limits with it.
	Now func() time.Time
	// HTTPClient reaches OAuth providers and the SMS gateway; nil means a
	// client with a 15 s timeout.
	HTTPClient *http.Client
	// ProviderEndpoints overrides the OAuth URLs of a provider by name
	// (tests point them at a local server).
	ProviderEndpoints map[string]ProviderEndpoints
}

// ProviderEndpoints are the URLs of one OAuth provider. Empty fields keep
// the provider's real URL.
type ProviderEndpoints struct {
	AuthURL, TokenURL, ProfileURL, EmailURL string
}

// Server serves the auth API. It keeps no session state of its own, so
// several instances may share one Postgres and one JWT secret.
type Server struct {
	cfg         Config
	d           *dialect
	jwt         *hasurajwt.Config
	adminSecret string
	log         *slog.Logger
	now         func() time.Time
	client      *http.Client
	hasher      *hasher
	limits      *limiter
	stateKey    []byte
	providers   map[string]*oauthProvider
	mail        *mailer
	sms         *smsSender
	mux         *http.ServeMux
}

// New builds a Server over a migrated database.
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.DB == nil {
		return nil, errors.New("authserver: Options.DB is required")
	}
	if opts.JWT == nil || !opts.JWT.CanSign() {
		return nil, errors.New("authserver: Options.JWT must be able to sign tokens")
	}
	if opts.Config.AccessTokenExpiresIn == 0 && opts.Config.DefaultRole == "" && opts.Config.Providers == nil {
		opts.Config, _ = LoadConfig(func(string) string { return "" })
	}
	if c := opts.Config; c.AccessTokenExpiresIn <= 0 || c.RefreshTokenExpiresIn <= 0 || c.DefaultRole == "" || c.LocaleDefault == "" {
		return nil, errors.New("authserver: Options.Config is incomplete; build it with LoadConfig")
	}
	s := &Server{
		cfg:         opts.Config,
		d:           &dialect{db: opts.DB},
		jwt:         opts.JWT,
		adminSecret: opts.AdminSecret,
		log:         opts.Logger,
		now:         opts.Now,
		client:      opts.HTTPClient,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.client == nil {
		s.client = &http.Client{Timeout: 15 * time.Second}
	}
	slots := bcryptSlots(runtime.GOMAXPROCS(0))
	s.hasher = newHasher(slots, bcryptWaiting(slots))
	s.limits = newLimiter(s.now)
	key, err := deriveStateKey(opts.JWT)
	if err != nil {
		return nil, err
	}
	s.stateKey = key
	if s.mail, err = newMailer(s.cfg.SMTP); err != nil {
		return nil, err
	}
	s.sms = newSMSSender(s.cfg.SMS, s.client)
	if s.providers, err = s.buildProviders(opts.ProviderEndpoints); err != nil {
		return nil, err
	}
	if err := s.ensureRoles(ctx); err != nil {
		return nil, err
	}
	s.mux = s.routes()
	return s, nil
}

// ensureRoles adds the configured roles to auth.roles, which the user and
// user_roles foreign keys need.
func (s *Server) ensureRoles(ctx context.Context) error {
	roles := append([]string{s.cfg.DefaultRole, "anonymous"}, s.cfg.DefaultAllowedRoles...)
	for _, r := range roles {
		if _, err := s.d.db.ExecContext(ctx, s.d.q(`INSERT INTO {roles} (role) VALUES ($1) ON CONFLICT DO NOTHING`), r); err != nil {
			return fmt.Errorf("authserver: seed role %q: %w", r, err)
		}
	}
	return nil
}

func (s *Server) routes() *http.ServeMux {
	m := http.NewServeMux()
	m.Handle("POST /signup/email-password", s.wrap(s.handleSignUpEmailPassword))
	m.Handle("POST /signin/email-password", s.wrap(s.handleSignInEmailPassword))
	m.Handle("POST /signin/passwordless/email", s.wrap(s.handleSignInPasswordlessEmail))
	m.Handle("POST /signup/passwordless/email", s.wrap(s.handleSignUpPasswordlessEmail))
	m.Handle("POST /signin/passwordless/sms", s.wrap(s.handleSignInPasswordlessSMS))
	m.Handle("POST /signup/passwordless/sms", s.wrap(s.handleSignUpPasswordlessSMS))
	m.Handle("POST /signin/passwordless/sms/otp", s.wrap(s.handleSignInPasswordlessSMSOTP))
	m.Handle("POST /signin/otp/email", s.wrap(s.handleSignInOTPEmail))
	m.Handle("POST /signup/otp/email", s.wrap(s.handleSignUpOTPEmail))
	m.Handle("POST /signin/otp/email/verify", s.wrap(s.handleSignInOTPEmailVerify))
	m.Handle("GET /signin/provider/{provider}", s.wrap(s.handleSignInProvider))
	m.Handle("GET /signup/provider/{provider}", s.wrap(s.handleSignUpProvider))
	m.Handle("GET /signin/provider/{provider}/callback", http.HandlerFunc(s.handleSignInProviderCallback))
	m.Handle("POST /signin/provider/{provider}/callback", http.HandlerFunc(s.handleSignInProviderCallback))
	m.Handle("POST /signin/anonymous", s.wrap(s.handleSignInAnonymous))
	m.Handle("POST /signin/pat", s.wrap(s.handleSignInPAT))
	m.Handle("POST /pat", s.wrap(s.handleCreatePAT))
	m.Handle("GET /mfa/totp/generate", s.wrap(s.handleTOTPGenerate))
	m.Handle("POST /user/mfa", s.wrap(s.handleUserMFA))
	m.Handle("POST /signin/mfa/totp", s.wrap(s.handleSignInMFATOTP))
	m.Handle("GET /verify", s.wrap(s.handleVerify))
	m.Handle("POST /token", s.wrap(s.handleToken))
	m.Handle("POST /token/verify", s.wrap(s.handleTokenVerify))
	m.Handle("POST /token/exchange", s.wrap(s.handleTokenExchange))
	m.Handle("POST /signout", s.wrap(s.handleSignOut))
	m.Handle("GET /user", s.wrap(s.handleUser))
	m.Handle("POST /user/password", s.wrap(s.handleUserPassword))
	m.Handle("POST /user/password/reset", s.wrap(s.handleUserPasswordReset))
	m.Handle("POST /user/email/send-verification-email", s.wrap(s.handleSendVerificationEmail))
	m.Handle("POST /user/email/change", s.wrap(s.handleUserEmailChange))
	m.Handle("POST /user/deanonymize", s.wrap(s.handleUserDeanonymize))
	m.Handle("GET /healthz", http.HandlerFunc(s.handleHealthz))
	m.Handle("GET /version", http.HandlerFunc(s.handleVersion))
	m.Handle("GET /.well-known/jwks.json", http.HandlerFunc(s.handleJWKS))
	m.Handle("GET /dev/outbox", s.wrap(s.handleDevOutbox))
	m.Handle("/", http.HandlerFunc(s.handleNotFound))
	return m
}

// ServeHTTP serves the API relative to the auth base URL (mount it with
// http.StripPrefix("/v1/auth", ...)). It answers CORS as hasura-auth does
// and applies the global per-IP rate limit.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if origin := r.Header.Get("Origin"); origin != "" {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Add("Vary", "Origin")
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "POST, GET")
			if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
				h.Set("Access-Control-Allow-Headers", req)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(r.Context(), "auth handler panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
			writeJSON(w, http.StatusInternalServerError, s.response(errInternal))
		}
	}()
	if s.cfg.RateLimit.Enable && r.URL.Path != "/healthz" {
		if err := s.limits.check("global", s.cfg.RateLimit.Global, clientIP(r)); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// EnabledProviders lists the OAuth providers that are on, in button order.
func (s *Server) EnabledProviders() []string {
	out := []string{}
	for _, name := range providerNames {
		if _, ok := s.providers[name]; ok {
			out = append(out, name)
		}
	}
	return out
}

// handleNotFound answers unknown paths with a JSON 404 in the contract's
// error shape.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusNotFound, errorResponse{Status: http.StatusNotFound, Message: "Route not found", Error: errRouteNotFound})
}

// wrap turns a handler that returns an error into an http.Handler with
// the one error exit.
func (s *Server) wrap(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// writeError sends err as the contract's ErrorResponse; anything that is
// not an apiError is logged and sent as internal-server-error.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{code: errInternal, cause: err}
	}
	if ae.code == errInternal {
		s.log.ErrorContext(r.Context(), "auth request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if ae.retryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int((ae.retryAfter+time.Second-1)/time.Second)))
	}
	body := s.response(ae.code)
	writeJSON(w, body.Status, body)
}

// baseURL is AUTH_SERVER_URL, or the auth base as this request reached it.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.ServerURL != "" {
		return s.cfg.ServerURL
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	// RequestURI still holds the path before http.StripPrefix; a request
	// handed over in-process has none, and then the usual mount is assumed.
	prefix := defaultMount
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil {
		prefix = strings.TrimSuffix(u.Path, r.URL.Path)
	}
	return scheme + "://" + host + prefix
}
