// Package web is the Notes app's HTTP layer: the Echo router, middleware
// (request id, recovery, request log, security headers, CSRF, session, auth
// guard), the handlers, the one error handler and the render helper. It
// reaches the backend only through the auth and graph clients.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/graph"
)

// Options is what the wiring hands the app.
type Options struct {
	// Logger receives one line per request and the errors; nil discards.
	Logger *slog.Logger
	// PublicURL is the app's external URL (scheme and host, no path), used
	// for redirectTo links and to decide the cookie's Secure flag.
	PublicURL string
	// SessionHashKey (32 or 64 bytes) signs and SessionBlockKey (16, 24 or
	// 32 bytes) encrypts the session cookie.
	SessionHashKey  []byte
	SessionBlockKey []byte
	// Auth is the client of the Nhost auth API.
	Auth *auth.Client
	// GraphQLURL is the Hasura GraphQL endpoint; HTTPClient reaches it
	// (nil means http.DefaultClient).
	GraphQLURL string
	HTTPClient *http.Client
	// Providers lists the enabled OAuth providers by Nhost path name
	// (github, google, ...); the sign-in page shows a button for each.
	Providers []string
	// DevInbox enables /dev/inbox (standalone mode without SMTP). It reads
	// the auth service's /dev/outbox with AdminSecret.
	DevInbox    bool
	AdminSecret string
	// Standalone reports that the embedded backend serves this app.
	Standalone bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (NOTES_TRUSTED_PROXIES); empty means the socket's peer is
	// the client and forwarding headers are ignored.
	TrustedProxies []*net.IPNet
}

type app struct {
	log       *slog.Logger
	public    string
	store     *auth.Store
	auth      *auth.Client
	graph     *graph.Client
	providers []string
	devInbox  bool
	secret    string
	now       func() time.Time
	md        *markdown
	// standalone enables /admin; adminLimit limits its secret attempts.
	standalone bool
	adminLimit ipLimiter
}

// New returns the app's HTTP handler. The backend (/v1/auth, /v1/graphql)
// is mounted beside it by the wiring, not here.
func New(opts Options) (http.Handler, error) {
	var problems []error
	pub, err := url.Parse(opts.PublicURL)
	if err != nil || (pub.Scheme != "http" && pub.Scheme != "https") || pub.Host == "" {
		problems = append(problems, fmt.Errorf("web: public URL %q: want http(s)://host[:port]", opts.PublicURL))
	}
	if opts.Auth == nil {
		problems = append(problems, errors.New("web: Options.Auth is nil"))
	}
	if opts.GraphQLURL == "" {
		problems = append(problems, errors.New("web: Options.GraphQLURL is empty"))
	}
	if opts.DevInbox && opts.AdminSecret == "" {
		problems = append(problems, errors.New("web: the dev inbox needs Options.AdminSecret"))
	}
	store, err := auth.NewStore(opts.SessionHashKey, opts.SessionBlockKey, pub != nil && pub.Scheme == "https")
	if err != nil {
		problems = append(problems, fmt.Errorf("web: %w", err))
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	a := &app{
		log:       opts.Logger,
		public:    strings.TrimRight(pub.String(), "/"),
		store:     store,
		auth:      opts.Auth,
		graph:     graph.New(opts.GraphQLURL, opts.HTTPClient),
		providers: opts.Providers,
		devInbox:  opts.DevInbox,
		secret:    opts.AdminSecret,
		now:       opts.Now,
		md:        newMarkdown(),

		standalone: opts.Standalone,
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = a.handleError
	e.IPExtractor = ipExtractor(opts.TrustedProxies)
	a.routes(e, pub.Scheme == "https")
	return e, nil
}

// callbackURL is where the auth service sends the browser back with a
// refreshToken (magic links, email verification, providers).
func (a *app) callbackURL() string { return a.public + "/auth/callback" }
