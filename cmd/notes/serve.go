package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/notes-app/notes/auth"
	"github.com/notes-app/notes/backend"
	"github.com/notes-app/notes/backend/authserver"
	"github.com/notes-app/notes/backend/store"
	"github.com/notes-app/notes/nhost"
	"github.com/notes-app/notes/web"
)

// shutdownGrace bounds how long in-flight requests may finish after a signal.
const shutdownGrace = 10 * time.Second

// serve runs the app (and, in standalone mode, the embedded backend) until
// ctx is cancelled. With backendOnly it serves only the backend.
func serve(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer, backendOnly bool) error {
	cfg, err := parseConfig(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(cfg, stderr)
	if backendOnly && cfg.Mode == Remote {
		return errors.New("notes backend serves the embedded backend; unset NHOST_* to use it")
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	if getenv("NOTES_PUBLIC_URL") == "" {
		cfg.PublicURL = "http://" + displayAddr(ln.Addr().String())
	}

	var (
		handler http.Handler
		secPath string
		be      *backend.Backend
	)
	if secPath, err = fillSecrets(&cfg); err != nil {
		return err
	}
	if cfg.Mode == Standalone {
		be, err = startBackend(ctx, cfg, getenv, log)
		if err != nil {
			return err
		}
		defer be.Close()
	}
	if backendOnly {
		handler = be
	} else if handler, err = newApp(cfg, be, log); err != nil {
		return err
	}

	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	what := "Notes"
	if backendOnly {
		what = "Notes backend"
	}
	fmt.Fprintf(stdout, "%s is running at %s (%s mode)\n", what, cfg.PublicURL, cfg.Mode)
	if cfg.Mode == Standalone {
		fmt.Fprintf(stdout, "  auth API:    %s/v1/auth\n  GraphQL API: %s/v1/graphql\n", cfg.PublicURL, cfg.PublicURL)
		if secPath != "" && getenv("HASURA_GRAPHQL_ADMIN_SECRET") == "" {
			fmt.Fprintf(stdout, "  admin secret: in %s (adminSecret)\n", secPath)
		}
	} else {
		fmt.Fprintf(stdout, "  auth API:    %s\n  GraphQL API: %s\n", cfg.AuthURL, cfg.GraphQLURL)
	}

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// newApp builds the web app over the embedded backend (in-process
// transport) or over a remote Nhost project (real HTTP).
func newApp(cfg Config, be *backend.Backend, log *slog.Logger) (http.Handler, error) {
	hashKey, blockKey, err := sessionKeys(cfg)
	if err != nil {
		return nil, err
	}
	opts := web.Options{
		Logger:          log,
		PublicURL:       cfg.PublicURL,
		SessionHashKey:  hashKey,
		SessionBlockKey: blockKey,
		Standalone:      cfg.Mode == Standalone,
		TrustedProxies:  cfg.TrustedProxies,
	}
	if cfg.Mode == Remote {
		hc := &http.Client{Timeout: 15 * time.Second}
		opts.Auth = auth.New(cfg.AuthURL, hc)
		opts.GraphQLURL = cfg.GraphQLURL
		opts.HTTPClient = hc
		app, err := web.New(opts)
		if err != nil {
			return nil, err
		}
		return app, nil
	}
	hc := &http.Client{Transport: inprocTransport{handler: be}, Timeout: 30 * time.Second}
	opts.Auth = auth.New(cfg.PublicURL+"/v1/auth", hc)
	opts.GraphQLURL = cfg.PublicURL + "/v1/graphql"
	opts.HTTPClient = hc
	opts.Providers = be.Auth.EnabledProviders()
	opts.DevInbox = be.DevOutbox
	opts.AdminSecret = cfg.AdminSecret
	app, err := web.New(opts)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/", be)
	mux.Handle("/", app)
	return mux, nil
}

// startBackend opens the database, migrates it and builds the embedded
// auth server and GraphQL engine.
func startBackend(ctx context.Context, cfg Config, getenv func(string) string, log *slog.Logger) (*backend.Backend, error) {
	project, where, err := nhostProject(cfg.NhostDir)
	if err != nil {
		return nil, err
	}
	authCfg, err := authserver.LoadConfig(authEnv(cfg, getenv))
	if err != nil {
		return nil, fmt.Errorf("auth configuration:\n%w", err)
	}
	log.Info("starting embedded backend", "database", store.Redact(cfg.DatabaseURL), "nhost_project", where)
	return backend.New(ctx, backend.Options{
		DatabaseURL:      cfg.DatabaseURL,
		Project:          project,
		AdminSecret:      cfg.AdminSecret,
		JWTSecret:        cfg.JWTSecret,
		UnauthorizedRole: cfg.UnauthorizedRole,
		Auth:             authCfg,
		Logger:           log,
	})
}

// authEnv gives the auth server this app's URLs as its defaults: the app is
// the client (AUTH_CLIENT_URL) and serves the API (AUTH_SERVER_URL).
func authEnv(cfg Config, getenv func(string) string) func(string) string {
	defaults := map[string]string{
		"AUTH_CLIENT_URL": cfg.PublicURL,
		"AUTH_SERVER_URL": cfg.PublicURL + "/v1/auth",
	}
	return func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return defaults[name]
	}
}

// nhostProject picks the Nhost project folder: NOTES_NHOST_DIR when set,
// ./nhost when it exists, else the copy embedded in the binary.
func nhostProject(dir string) (fs.FS, string, error) {
	if dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "metadata")); err != nil {
			return nil, "", fmt.Errorf("NOTES_NHOST_DIR: %s has no metadata folder: %w", dir, err)
		}
		return os.DirFS(dir), dir, nil
	}
	if fi, err := os.Stat(filepath.Join("nhost", "metadata")); err == nil && fi.IsDir() {
		return os.DirFS("nhost"), "./nhost", nil
	}
	return nhost.FS, "embedded", nil
}

// fillSecrets completes cfg with generated development secrets, kept in the
// data folder, for whatever the environment leaves unset: the session keys,
// and in standalone mode the admin secret and the JWT key. It returns the
// secrets file's path when it was used.
func fillSecrets(cfg *Config) (string, error) {
	need := cfg.SessionHashKey == "" || cfg.SessionBlockKey == ""
	if cfg.Mode == Standalone {
		need = need || cfg.AdminSecret == "" || cfg.JWTSecret == ""
	}
	if !need {
		return "", nil
	}
	s, path, err := loadDevSecrets(cfg.DataDir)
	if err != nil {
		return "", err
	}
	set := func(v *string, generated string) {
		if *v == "" {
			*v = generated
		}
	}
	set(&cfg.SessionHashKey, s.SessionHashKey)
	set(&cfg.SessionBlockKey, s.SessionBlockKey)
	if cfg.Mode == Standalone {
		set(&cfg.AdminSecret, s.AdminSecret)
		set(&cfg.JWTSecret, `{"type":"HS256","key":"`+s.JWTKey+`"}`)
	}
	return path, nil
}

// sessionKeys decodes the session cookie keys.
func sessionKeys(cfg Config) (hashKey, blockKey []byte, err error) {
	if hashKey, err = hexKey("NOTES_SESSION_HASH_KEY", cfg.SessionHashKey, 32, 64); err != nil {
		return nil, nil, err
	}
	if blockKey, err = hexKey("NOTES_SESSION_BLOCK_KEY", cfg.SessionBlockKey, 16, 24, 32); err != nil {
		return nil, nil, err
	}
	return hashKey, blockKey, nil
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if strings.EqualFold(cfg.LogFormat, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// migrate applies every migration of the configured database and exits.
func migrate(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	cfg, err := parseConfig(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	if cfg.Mode == Remote {
		return errors.New("migrate works on the embedded backend's database; in remote mode use the Nhost CLI (nhost up / deploy)")
	}
	project, where, err := nhostProject(cfg.NhostDir)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := backend.Migrate(ctx, db, project); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "migrated %s with the Nhost project at %s\n", store.Redact(cfg.DatabaseURL), where)
	return nil
}
