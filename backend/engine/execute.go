package engine

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/sqlgen"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// specRules are the gqlparser rules that agree with Hasura; field, argument
// and value checks are done by the compiler with Hasura's own messages, and
// variable positions follow Hasura's lenient matching.
var specRules = rules.NewRules(
	rules.FragmentsOnCompositeTypesRule,
	rules.KnownFragmentNamesRule,
	rules.NoFragmentCyclesRule,
	rules.NoUndefinedVariablesRule,
	rules.OverlappingFieldsCanBeMergedRule,
	rules.UniqueArgumentNamesRule,
	rules.UniqueFragmentNamesRule,
	rules.UniqueOperationNamesRule,
	rules.UniqueVariableNamesRule,
	rules.VariablesAreInputTypesRule,
)

// Bounds on what the caches keep, so 512 entries stay small in memory.
const (
	maxCachedQuery     = 32 << 10
	maxCachedVariables = 16 << 10
)

func (e *Engine) execute(ctx context.Context, sess *session, req *gqlRequest) ([]byte, *gqlerr.Error) {
	st := e.state.Load()
	sch := st.schemaFor(sess.role, sess.backendOnly)
	key := docKey{role: sess.role, backendOnly: sess.backendOnly, query: req.Query}
	entry, ok := e.cache.get(key, st)
	if !ok {
		entry = e.prepare(sch.AST, req.Query)
		if len(req.Query) <= maxCachedQuery {
			e.cache.put(key, st, entry)
		}
	}
	if entry.err != nil {
		return nil, entry.err
	}
	op, gerr := pickOperation(entry.doc, req.OperationName)
	if gerr != nil {
		return nil, gerr
	}
	if op.Operation == ast.Query || op.Operation == "" {
		if st.model.IntrospectionDisabledFor[sess.role] && touchesIntrospection(op.SelectionSet, entry.doc) {
			return nil, gqlerr.New(gqlerr.NotSupported, "$", "introspection is disabled for role: %q", sess.role)
		}
	}
	pkey := planKey{docKey: key, operation: req.OperationName, variables: string(req.rawVariables)}
	plan, cached := e.plans.get(pkey, st)
	if !cached {
		var gerr *gqlerr.Error
		plan, gerr = sqlgen.Compile(&sqlgen.Request{Schema: sch, Doc: entry.doc, Op: op, Vars: req.Variables, Session: sess.vars},
			sqlgen.Options{Dialect: e.dialect, StringifyNumeric: e.opts.StringifyNumeric})
		if gerr != nil {
			return nil, gerr
		}
		// Plans for large variables (bulk inserts) would pin their data.
		if plan.Cacheable && len(req.Query) <= maxCachedQuery && len(req.rawVariables) <= maxCachedVariables {
			e.plans.put(pkey, st, plan)
			cached = true
		}
	}
	ctx, cancel := context.WithTimeout(ctx, e.opts.StatementTimeout)
	defer cancel()
	aliases := make([]string, len(plan.Fields))
	values := make([]json.RawMessage, len(plan.Fields))
	var q sqlgen.Querier = e.opts.DB.DB
	var tx *sql.Tx
	if plan.Mutation {
		var err error
		if tx, err = e.opts.DB.BeginTx(ctx, nil); err != nil {
			return nil, e.dbError(&sqlgen.DBError{Err: err, Path: "$"}, sess)
		}
		defer tx.Rollback()
		q = tx
	}
	// Only cached query plans prepare statements: the others' SQL seldom
	// repeats (and see stmtQuerier on mutations).
	if cached && e.stmts != nil && tx == nil {
		q = stmtQuerier{c: e.stmts, db: e.opts.DB.DB}
	}
	var columns []json.RawMessage
	if plan.Query != nil {
		var err error
		if columns, err = plan.Query(ctx, q, sess.vars); err != nil {
			return nil, e.dbError(err, sess)
		}
	}
	for i, f := range plan.Fields {
		aliases[i] = f.Alias
		switch {
		case f.Static != nil:
			values[i] = f.Static
			continue
		case f.Run == nil:
			values[i] = columns[f.Column]
			continue
		}
		v, err := f.Run(ctx, q, sess.vars)
		if err != nil {
			return nil, e.dbError(err, sess)
		}
		values[i] = v
	}
	if tx != nil {
		if err := tx.Commit(); err != nil {
			return nil, e.dbError(&sqlgen.DBError{Err: err, Path: "$"}, sess)
		}
	}
	return dataBody(aliases, values), nil
}

// prepared is a parsed and spec-validated document.
type prepared struct {
	doc *ast.QueryDocument
	err *gqlerr.Error
}

func (e *Engine) prepare(sch *ast.Schema, query string) *prepared {
	doc, perr := parser.ParseQuery(&ast.Source{Input: query})
	if perr != nil {
		return &prepared{err: gqlerr.Validation("$.query", "not a valid graphql query")}
	}
	if err := checkLimits(doc, e.opts.MaxDepth, e.opts.MaxNodes); err != nil {
		return &prepared{err: err}
	}
	if errs := validator.ValidateWithRules(sch, doc, specRules); len(errs) > 0 {
		return &prepared{err: gqlerr.Validation("$", "%s", errs[0].Message)}
	}
	return &prepared{doc: doc}
}

func pickOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, *gqlerr.Error) {
	if name != "" {
		op := doc.Operations.ForName(name)
		if op == nil {
			return nil, gqlerr.Validation("$", "no such operation found in the document: %q", name)
		}
		return op, nil
	}
	if len(doc.Operations) != 1 {
		return nil, gqlerr.Validation("$", "exactly one operation has to be present in the document when operationName is not specified")
	}
	return doc.Operations[0], nil
}

func touchesIntrospection(set ast.SelectionSet, doc *ast.QueryDocument) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return true
			}
		case *ast.InlineFragment:
			if touchesIntrospection(s.SelectionSet, doc) {
				return true
			}
		case *ast.FragmentSpread:
			if f := doc.Fragments.ForName(s.Name); f != nil && touchesIntrospection(f.SelectionSet, doc) {
				return true
			}
		}
	}
	return false
}

// checkLimits bounds selection depth and field count.
func checkLimits(doc *ast.QueryDocument, maxDepth, maxNodes int) *gqlerr.Error {
	nodes := 0
	var walk func(set ast.SelectionSet, depth int, seen map[string]bool) *gqlerr.Error
	walk = func(set ast.SelectionSet, depth int, seen map[string]bool) *gqlerr.Error {
		if len(set) > 0 && depth > maxDepth {
			return gqlerr.Validation("$", "the query exceeds the maximum depth of %d", maxDepth)
		}
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				nodes++
				if nodes > maxNodes {
					return gqlerr.Validation("$", "the query exceeds the maximum of %d fields", maxNodes)
				}
				if err := walk(s.SelectionSet, depth+1, seen); err != nil {
					return err
				}
			case *ast.InlineFragment:
				if err := walk(s.SelectionSet, depth, seen); err != nil {
					return err
				}
			case *ast.FragmentSpread:
				if seen[s.Name] {
					continue
				}
				if f := doc.Fragments.ForName(s.Name); f != nil {
					seen[s.Name] = true
					err := walk(f.SelectionSet, depth, seen)
					delete(seen, s.Name)
					if err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	for _, op := range doc.Operations {
		if err := walk(op.SelectionSet, 1, map[string]bool{}); err != nil {
			return err
		}
	}
	return nil
}

// dbError maps an error from running a root field to Hasura's shape.
func (e *Engine) dbError(err error, sess *session) *gqlerr.Error {
	var ge *gqlerr.Error
	if errors.As(err, &ge) {
		return ge
	}
	path := "$"
	var de *sqlgen.DBError
	if errors.As(err, &de) {
		path = de.Path
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return gqlerr.New(gqlerr.Unexpected, "$", "database query error")
	}
	if g := mapDBError(err, path); g != nil {
		return g
	}
	e.log.Error("graphql database error", "err", err)
	g := gqlerr.New(gqlerr.Unexpected, "$", "database query error")
	if sess.admin {
		g.Internal = map[string]any{"error": map[string]any{"message": err.Error()}}
	}
	return g
}
