// Package engine is the embedded Hasura-compatible GraphQL engine: it loads
// a Nhost project's Hasura metadata and the database catalog, builds one
// GraphQL schema per role, and answers POST /v1/graphql as Hasura v2 does
// (names, permissions, role resolution, errors).
//
// The pipeline lives in small packages under backend/internal:
//
//	metadata  Hasura config v3 files (!include, tables, relationships, permissions)
//	catalog   what the database holds (Postgres pg_catalog, SQLite pragmas)
//	model     metadata joined with the catalog; mismatches name file and key
//	schema    one gqlparser *ast.Schema per role, Hasura's names and rules
//	sqlgen    validation with Hasura's messages, introspection, and SQL that
//	          builds the JSON answer in the database, permissions included
//	sqlitefn  the Go SQL functions SQLite needs (regex, jsonb, timestamps)
//
// A request runs: body (object or batch) -> role resolution (admin secret,
// JWT, unauthorized role) -> cached parse and spec validation -> cached
// compiled plan (session variables bound at run time) -> one statement per
// root field (a transaction per mutation request) -> keys in selection order.
//
// Not implemented: subscriptions (the schema lists them; requests answer
// not-supported), actions, remote schemas, event triggers, computed fields,
// enum tables, inherited roles.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/notes-app/notes/backend/hasurajwt"
	"github.com/notes-app/notes/backend/internal/catalog"
	"github.com/notes-app/notes/backend/internal/metadata"
	"github.com/notes-app/notes/backend/internal/model"
	"github.com/notes-app/notes/backend/internal/schema"
	"github.com/notes-app/notes/backend/internal/sqlgen"
	_ "github.com/notes-app/notes/backend/internal/sqlitefn" // SQLite regexp and jsonb functions
	"github.com/notes-app/notes/backend/store"
)

// Options configure an Engine. Zero limits take the defaults below.
type Options struct {
	DB *store.DB
	// Metadata is the Hasura metadata directory (version.yaml, databases/...).
	Metadata fs.FS
	// AdminSecret is HASURA_GRAPHQL_ADMIN_SECRET.
	AdminSecret string
	// JWTSecret is the raw HASURA_GRAPHQL_JWT_SECRET JSON ("" = none).
	JWTSecret string
	// UnauthorizedRole is HASURA_GRAPHQL_UNAUTHORIZED_ROLE.
	UnauthorizedRole string
	// StringifyNumeric is HASURA_GRAPHQL_STRINGIFY_NUMERIC_TYPES.
	StringifyNumeric bool
	Logger           *slog.Logger

	// MaxBodyBytes bounds a request body (413 beyond it). Default 1 MiB.
	MaxBodyBytes int64
	// MaxDepth bounds the selection depth of an operation. Default 32.
	MaxDepth int
	// MaxNodes bounds the number of fields in an operation. Default 5000.
	MaxNodes int
	// MaxBatch bounds the number of requests in a batch (a JSON array),
	// which would otherwise multiply the per-operation limits. Default 100.
	MaxBatch int
	// StatementTimeout bounds one request's database work. Default 30s.
	StatementTimeout time.Duration
	// PlanCacheSize bounds the parsed-document and compiled-plan caches
	// (entries each). Default 512.
	PlanCacheSize int
	// Now is the clock for JWT expiry; time.Now when nil.
	Now func() time.Time
}

// Engine answers GraphQL requests. It is safe for concurrent use.
type Engine struct {
	opts    Options
	log     *slog.Logger
	jwt     *hasurajwt.Config
	dialect sqlgen.Dialect
	state   atomic.Pointer[state]
	cache   *docCache
	plans   *planCache
	// stmts holds the prepared statements of cached plans (SQLite only).
	stmts *stmtCache
}

// state is what Reload rebuilds: the model and the role schemas built from it.
type state struct {
	md      *metadata.Metadata
	model   *model.Model
	mu      sync.Mutex
	schemas map[schemaKey]*schema.Schema
}

type schemaKey struct {
	role        string
	backendOnly bool
}

// ErrJWTNeedsAdminSecret is Hasura's refusal to run JWT mode without an admin secret.
var ErrJWTNeedsAdminSecret = errors.New("Fatal Error : --jwt-secret (HASURA_GRAPHQL_JWT_SECRET) requires --admin-secret (HASURA_GRAPHQL_ADMIN_SECRET) or  --access-key (HASURA_GRAPHQL_ACCESS_KEY) to be set")

// ErrUnauthorizedRoleNeedsAdminSecret is the same refusal for the unauthorized role.
var ErrUnauthorizedRoleNeedsAdminSecret = errors.New("Fatal Error : --unauthorized-role (HASURA_GRAPHQL_UNAUTHORIZED_ROLE) requires --admin-secret (HASURA_GRAPHQL_ADMIN_SECRET) or  --access-key (HASURA_GRAPHQL_ACCESS_KEY) to be set")

// New loads metadata and the database catalog, checks them against each
// other and returns a ready engine. Role schemas are built on first use.
func New(ctx context.Context, opts Options) (*Engine, error) {
	if opts.DB == nil {
		return nil, errors.New("engine: no database")
	}
	if opts.JWTSecret != "" && opts.AdminSecret == "" {
		return nil, ErrJWTNeedsAdminSecret
	}
	if opts.UnauthorizedRole != "" && opts.AdminSecret == "" {
		return nil, ErrUnauthorizedRoleNeedsAdminSecret
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 32
	}
	if opts.MaxNodes <= 0 {
		opts.MaxNodes = 5000
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 100
	}
	if opts.StatementTimeout <= 0 {
		opts.StatementTimeout = 30 * time.Second
	}
	if opts.PlanCacheSize <= 0 {
		opts.PlanCacheSize = 512
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	e := &Engine{opts: opts, log: opts.Logger, cache: newDocCache(opts.PlanCacheSize), plans: newPlanCache(opts.PlanCacheSize)}
	e.dialect = sqlgen.SQLite
	if opts.DB.Dialect == store.Postgres {
		e.dialect = sqlgen.Postgres
	} else {
		e.stmts = newStmtCache(opts.DB.DB, maxCachedStmts)
	}
	if opts.JWTSecret != "" {
		cfg, err := hasurajwt.Parse(opts.JWTSecret)
		if err != nil {
			return nil, fmt.Errorf("engine: HASURA_GRAPHQL_JWT_SECRET: %w", err)
		}
		e.jwt = cfg
	}
	if err := e.Reload(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// Reload re-reads metadata and the catalog (after migrations) and drops
// the cached role schemas.
func (e *Engine) Reload(ctx context.Context) error {
	fsys := e.opts.Metadata
	if fsys == nil {
		fsys = emptyFS{}
	}
	md, err := metadata.Load(fsys)
	if err != nil {
		return fmt.Errorf("engine: metadata: %w", err)
	}
	d := catalog.SQLite
	if e.dialect == sqlgen.Postgres {
		d = catalog.Postgres
	}
	cat, err := catalog.Read(ctx, e.opts.DB.DB, d)
	if err != nil {
		return fmt.Errorf("engine: %w", err)
	}
	dia := e.opts.DB.Dialect
	m, err := model.Build(md, cat, func(schemaName, name string) catalog.Key {
		if dia == store.Postgres {
			return catalog.Key{Schema: schemaName, Name: name}
		}
		return catalog.Key{Name: dia.TableName(schemaName, name)}
	})
	if err != nil {
		return fmt.Errorf("engine: metadata: %w", err)
	}
	e.state.Store(&state{md: md, model: m, schemas: map[schemaKey]*schema.Schema{}})
	e.cache.clear()
	e.plans.clear()
	if e.stmts != nil {
		e.stmts.clear()
	}
	return nil
}

// schemaFor returns the role's schema, building it on first use.
func (st *state) schemaFor(role string, backendOnly bool) *schema.Schema {
	k := schemaKey{role, backendOnly}
	st.mu.Lock()
	defer st.mu.Unlock()
	if s, ok := st.schemas[k]; ok {
		return s
	}
	s := schema.Build(st.model, role, backendOnly)
	st.schemas[k] = s
	return s
}

// emptyFS is the metadata of a project that tracks nothing.
type emptyFS struct{}

// Open reports every file as missing.
func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
