// Package backend assembles the embedded backend: one database, the
// Nhost-compatible auth API at /v1/auth and the Hasura-compatible GraphQL
// engine at /v1/graphql. It is a separate service that happens to run in the
// same process; the app reaches it only through its HTTP contract.
package backend

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/notes-app/notes/backend/authserver"
	"github.com/notes-app/notes/backend/engine"
	"github.com/notes-app/notes/backend/hasurajwt"
	"github.com/notes-app/notes/backend/store"
)

// Options configure the embedded backend.
type Options struct {
	// DatabaseURL is a SQLite path or a postgres:// URL (store.Open).
	DatabaseURL string
	// Project is an Nhost project folder: metadata/, migrations/default/
	// (Postgres) and sqlite/migrations/default/ (the SQLite twins).
	Project fs.FS
	// AdminSecret is HASURA_GRAPHQL_ADMIN_SECRET; required.
	AdminSecret string
	// JWTSecret is HASURA_GRAPHQL_JWT_SECRET (JSON); required, and it must
	// be able to sign (HS* key, or RS* with signing_key).
	JWTSecret string
	// UnauthorizedRole is HASURA_GRAPHQL_UNAUTHORIZED_ROLE.
	UnauthorizedRole string
	// Auth is the auth server's AUTH_* configuration.
	Auth authserver.Config
	// Logger receives the backend's logs.
	Logger *slog.Logger
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// HTTPClient reaches OAuth providers and SMS gateways; nil for a default.
	HTTPClient *http.Client
	// ProviderEndpoints overrides OAuth URLs (tests).
	ProviderEndpoints map[string]authserver.ProviderEndpoints
}

// Backend is the running embedded backend.
type Backend struct {
	DB     *store.DB
	Auth   *authserver.Server
	Engine *engine.Engine
	// DevOutbox is true when mail and SMS go to the auth server's outbox
	// (no SMTP configured), which GET /v1/auth/dev/outbox serves.
	DevOutbox bool
	handler   http.Handler
}

// New opens the database, applies the auth schema and then the project's
// migrations for the database's dialect, loads the metadata and builds both
// services.
func New(ctx context.Context, opts Options) (*Backend, error) {
	if opts.AdminSecret == "" {
		return nil, errors.New("backend: an admin secret is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	jwtCfg, err := hasurajwt.Parse(opts.JWTSecret)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, opts.DatabaseURL)
	if err != nil {
		return nil, err
	}
	b, err := build(ctx, db, jwtCfg, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	return b, nil
}

func build(ctx context.Context, db *store.DB, jwtCfg *hasurajwt.Config, opts Options) (*Backend, error) {
	if err := Migrate(ctx, db, opts.Project); err != nil {
		return nil, err
	}
	metadata, err := fs.Sub(opts.Project, "metadata")
	if err != nil {
		return nil, fmt.Errorf("backend: metadata: %w", err)
	}
	eng, err := engine.New(ctx, engine.Options{
		DB:               db,
		Metadata:         metadata,
		AdminSecret:      opts.AdminSecret,
		JWTSecret:        opts.JWTSecret,
		UnauthorizedRole: opts.UnauthorizedRole,
		Logger:           opts.Logger.With("service", "graphql"),
	})
	if err != nil {
		return nil, err
	}
	auth, err := authserver.New(ctx, authserver.Options{
		DB:                db,
		Config:            opts.Auth,
		JWT:               jwtCfg,
		AdminSecret:       opts.AdminSecret,
		Logger:            opts.Logger.With("service", "auth"),
		Now:               opts.Now,
		HTTPClient:        opts.HTTPClient,
		ProviderEndpoints: opts.ProviderEndpoints,
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/auth/", http.StripPrefix("/v1/auth", auth))
	mux.Handle("/v1/graphql", eng)
	mux.HandleFunc("/v1/metadata", eng.ServeMetadata)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := db.PingContext(r.Context()); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"unavailable"}`))
			return
		}
		w.Write([]byte(`{"status":"ok"}`))
	})
	return &Backend{DB: db, Auth: auth, Engine: eng, DevOutbox: opts.Auth.SMTP.Host == "", handler: mux}, nil
}

// Migrate applies the auth server's schema and then the project's
// migrations (Postgres SQL, or the SQLite twins) to db.
func Migrate(ctx context.Context, db *store.DB, project fs.FS) error {
	if err := authserver.Migrate(ctx, db); err != nil {
		return err
	}
	dir := "migrations/default"
	if db.Dialect == store.SQLite {
		dir = "sqlite/migrations/default"
	}
	migs, err := store.LoadMigrations(project, dir)
	if err != nil {
		return err
	}
	return db.Migrate(ctx, "default", migs)
}

// ServeHTTP serves /v1/auth/..., /v1/graphql, /v1/metadata (export_metadata) and /healthz.
func (b *Backend) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.handler.ServeHTTP(w, r) }

// Close releases the database.
func (b *Backend) Close() error { return b.DB.Close() }
