// Package sqlgen compiles a validated GraphQL operation, for one role's
// schema, into parameterized SQL that builds the JSON answer inside the
// database (Postgres json_build_object/json_agg, SQLite json_object/
// json_group_array). Permissions become SQL: filters, column lists, limits,
// presets and checks. Values are always bound as parameters.
package sqlgen

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/model"
	"github.com/notes-app/notes/backend/internal/schema"
	"github.com/vektah/gqlparser/v2/ast"
)

// Querier is what a root field runs on: the pool or a transaction.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Request is one operation to compile.
type Request struct {
	Schema *schema.Schema
	Doc    *ast.QueryDocument
	Op     *ast.OperationDefinition
	// Vars are the request's variables (ordered JSON values).
	Vars map[string]any
	// Session holds the x-hasura-* session variables, lowercased names.
	Session map[string]string
}

// Options are the compiler's settings.
type Options struct {
	Dialect Dialect
	// StringifyNumeric returns bigint, numeric, float8 and money as strings.
	StringifyNumeric bool
}

// RootPlan is one compiled root field.
type RootPlan struct {
	Alias string
	// Static is a constant answer (__typename, __schema, __type).
	Static json.RawMessage
	// Run computes the field's JSON value for a request's session.
	Run func(ctx context.Context, q Querier, session map[string]string) (json.RawMessage, error)
	// Column, when Run and Static are nil, is the field's column in the
	// answer of the plan's Query.
	Column int

	// sql is a query root field's statement until Compile places it.
	sql string
}

// Plan is a compiled operation. A Cacheable plan does not depend on the
// request's session variables (they are bound when it runs), so it may be
// reused for the same role, query, operation and variables.
type Plan struct {
	Mutation bool
	Fields   []RootPlan
	// Query, when a query has several root fields that read tables,
	// computes them all in one statement (one round trip, one snapshot),
	// one column per field.
	Query     func(ctx context.Context, q Querier, session map[string]string) ([]json.RawMessage, error)
	Cacheable bool
}

// DBError is a database error raised while running a root field, with the
// path Hasura reports for it.
type DBError struct {
	Err  error
	Path string
}

// Error returns the database's message.
func (e *DBError) Error() string { return e.Err.Error() }

// Unwrap returns the database error.
func (e *DBError) Unwrap() error { return e.Err }

type compiler struct {
	d         Dialect
	stringify bool
	s         *schema.Schema
	sch       *ast.Schema
	doc       *ast.QueryDocument
	op        *ast.OperationDefinition
	vars      map[string]any
	session   map[string]string
	used      map[string]bool
	args      []any
	nalias    int
	// sessionBound is set when a session variable was resolved while
	// compiling, which makes the plan specific to this session.
	sessionBound bool
	// rootTable and rootAlias are the table a permission expression
	// starts from, for ["$", col] comparisons.
	rootTable *model.Table
	rootAlias string
	// need records the columns read through each alias (see colRef).
	need map[string]map[string]bool
}

// Compile checks the operation against the role's schema (fields,
// arguments, values, Hasura's messages and paths) and compiles it.
func Compile(req *Request, opts Options) (*Plan, *gqlerr.Error) {
	c := &compiler{d: opts.Dialect, stringify: opts.StringifyNumeric, s: req.Schema, sch: req.Schema.AST,
		doc: req.Doc, op: req.Op, vars: req.Vars, session: req.Session, used: map[string]bool{}}
	if c.vars == nil {
		c.vars = map[string]any{}
	}
	plan := &Plan{}
	var root *ast.Definition
	switch req.Op.Operation {
	case ast.Mutation:
		plan.Mutation = true
		root = c.sch.Mutation
		if root == nil {
			return nil, gqlerr.Validation("$", "no mutations exist")
		}
	case ast.Subscription:
		return nil, gqlerr.New(gqlerr.NotSupported, "$", "subscriptions are not supported over HTTP")
	default:
		root = c.sch.Query
	}
	if err := c.checkVariables(); err != nil {
		return nil, err
	}
	fields, err := c.collect(req.Op.SelectionSet, root.Name)
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		rp, err := c.rootField(root, f)
		if err != nil {
			return nil, err
		}
		plan.Fields = append(plan.Fields, rp)
	}
	c.placeQueries(plan)
	plan.Cacheable = !c.sessionBound
	return plan, nil
}

// placeQueries gives the query root fields their runner: a field alone
// runs its own statement; several become the columns of one statement,
// SELECT (q1), (q2), ..., whose parameters are already numbered in
// sequence because the fields were compiled one after another.
func (c *compiler) placeQueries(plan *Plan) {
	var parts []string
	for i := range plan.Fields {
		if plan.Fields[i].sql != "" {
			plan.Fields[i].Column = len(parts)
			parts = append(parts, "("+plan.Fields[i].sql+")")
		}
	}
	switch len(parts) {
	case 0:
		return
	case 1:
		for i := range plan.Fields {
			if f := &plan.Fields[i]; f.sql != "" {
				f.Run, f.sql = c.runScalar(f.sql, "$"), ""
			}
		}
		return
	}
	for i := range plan.Fields {
		plan.Fields[i].sql = ""
	}
	plan.Query = c.runColumns("SELECT "+strings.Join(parts, ", "), len(parts), "$")
}

func (c *compiler) rootField(root *ast.Definition, f *ast.Field) (RootPlan, *gqlerr.Error) {
	path := "$.selectionSet." + f.Name
	rp := RootPlan{Alias: f.Alias}
	switch f.Name {
	case "__typename":
		rp.Static, _ = json.Marshal(root.Name)
		return rp, nil
	case "__schema", "__type":
		if root != c.sch.Query {
			break
		}
		v, err := c.introspect(f, path)
		if err != nil {
			return rp, err
		}
		rp.Static = v
		return rp, nil
	}
	fd := root.Fields.ForName(f.Name)
	if fd == nil {
		return rp, gqlerr.Validation(path, "field '%s' not found in type: '%s'", f.Name, root.Name)
	}
	if f.Name == "no_queries_available" {
		rp.Static = json.RawMessage(`""`)
		return rp, nil
	}
	args, err := c.fieldArgs(fd, f, path)
	if err != nil {
		return rp, err
	}
	if len(f.SelectionSet) == 0 {
		return rp, gqlerr.Validation(path, "missing selection set for '%s'", f.Name)
	}
	var rf schema.RootField
	if root == c.sch.Mutation {
		rf = c.s.Mutation[f.Name]
		rp.Run, err = c.mutationRoot(rf, f, fd, args, path)
	} else {
		rf = c.s.Query[f.Name]
		rp.sql, err = c.queryRoot(rf, f, fd, args, path)
	}
	return rp, err
}

// runScalar runs a query returning one JSON value (NULL, or no row,
// becomes null).
func (c *compiler) runScalar(q, path string) func(ctx context.Context, db Querier, session map[string]string) (json.RawMessage, error) {
	run := c.runColumns(q, 1, path)
	return func(ctx context.Context, db Querier, session map[string]string) (json.RawMessage, error) {
		cols, err := run(ctx, db, session)
		if err != nil {
			return nil, err
		}
		return cols[0], nil
	}
}

// runColumns runs a query returning one row of n JSON values (NULL
// becomes null, and so does every value when there is no row).
func (c *compiler) runColumns(q string, n int, path string) func(ctx context.Context, db Querier, session map[string]string) ([]json.RawMessage, error) {
	args := c.args
	c.args = nil
	d := c.d
	return func(ctx context.Context, db Querier, session map[string]string) ([]json.RawMessage, error) {
		args, err := bindArgs(d, args, session)
		if err != nil {
			return nil, err
		}
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, &DBError{Err: err, Path: path}
		}
		defer rows.Close()
		vals := make([]sql.NullString, n)
		if rows.Next() {
			ptrs := make([]any, n)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return nil, &DBError{Err: err, Path: path}
			}
		}
		if err := rows.Err(); err != nil {
			return nil, &DBError{Err: err, Path: path}
		}
		out := make([]json.RawMessage, n)
		for i, v := range vals {
			out[i] = json.RawMessage("null")
			if v.Valid {
				out[i] = json.RawMessage(v.String)
			}
		}
		return out, nil
	}
}

// fieldArgs checks and coerces a field's arguments.
func (c *compiler) fieldArgs(fd *ast.FieldDefinition, f *ast.Field, path string) (map[string]any, *gqlerr.Error) {
	out := map[string]any{}
	for _, a := range f.Arguments {
		ad := fd.Arguments.ForName(a.Name)
		if ad == nil {
			return nil, gqlerr.Validation(path, "'%s' has no argument named '%s'", f.Name, a.Name)
		}
		ap := path + ".args." + a.Name
		if a.Name == "limit" {
			if err := c.checkLimit(a.Value, ap); err != nil {
				return nil, err
			}
		}
		v, err := c.coerceAST(ad.Type, a.Value, ap)
		if err != nil {
			return nil, err
		}
		if !isAbsent(v) {
			out[a.Name] = v
		}
	}
	for _, ad := range fd.Arguments {
		if _, ok := out[ad.Name]; ok {
			continue
		}
		if ad.DefaultValue != nil {
			v, err := c.coerceAST(ad.Type, ad.DefaultValue, path+".args."+ad.Name)
			if err != nil {
				return nil, err
			}
			out[ad.Name] = v
		} else if ad.Type.NonNull {
			return nil, gqlerr.Validation(path+".args", "missing required field '%s'", ad.Name)
		}
	}
	return out, nil
}

func (c *compiler) checkLimit(v *ast.Value, path string) *gqlerr.Error {
	switch v.Kind {
	case ast.IntValue:
		if len(v.Raw) > 0 && v.Raw[0] != '-' && len(v.Raw) <= 10 {
			if n, ok := new(json.Number), true; ok {
				*n = json.Number(v.Raw)
				if x, err := n.Int64(); err == nil && x <= 2147483647 {
					return nil
				}
			}
		}
	case ast.Variable, ast.NullValue:
		return nil
	}
	return gqlerr.Validation(path, "expected a non-negative 32-bit integer for type 'Int', but found %s", astDesc(v))
}
