// Package schema generates the GraphQL schema of one role from the resolved
// model, exactly as Hasura names and shapes it, as a gqlparser *ast.Schema.
// It also records, for every generated root field and object type, which
// table and operation it stands for, so the compiler needs no name parsing.
package schema

import (
	"sort"

	"github.com/notes-app/notes/backend/internal/model"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
)

// RootKind is the operation a root field performs.
type RootKind int

// Root field kinds.
const (
	Select RootKind = iota + 1
	SelectByPK
	SelectAggregate
	Insert
	InsertOne
	Update
	UpdateByPK
	UpdateMany
	Delete
	DeleteByPK
)

// RootField binds a root field to its table.
type RootField struct {
	Kind  RootKind
	Table *model.Table
}

// Schema is one role's GraphQL schema.
type Schema struct {
	Role string
	AST  *ast.Schema
	// Query and Mutation map root field names to what they do.
	Query    map[string]RootField
	Mutation map[string]RootField
	// Objects maps object type names (the table types) to tables.
	Objects map[string]*model.Table
	// Admin is set for the admin role (no permission checks).
	Admin bool
	// BackendOnly is set when backend-only permissions are visible.
	BackendOnly bool
	model       *model.Model
}

// Model returns the model the schema was built from.
func (s *Schema) Model() *model.Model { return s.model }

// Build generates the schema of role. backendOnly makes backend_only
// mutation permissions visible.
func Build(m *model.Model, role string, backendOnly bool) *Schema {
	s := &Schema{
		Role: role, Admin: role == "admin", BackendOnly: backendOnly, model: m,
		Query: map[string]RootField{}, Mutation: map[string]RootField{}, Objects: map[string]*model.Table{},
	}
	b := &builder{s: s, defs: map[string]*ast.Definition{}}
	sch := &ast.Schema{Types: map[string]*ast.Definition{}, Directives: map[string]*ast.DirectiveDefinition{},
		PossibleTypes: map[string][]*ast.Definition{}, Implements: map[string][]*ast.Definition{}}
	prelude := validator.PreludeDocument()
	for _, d := range prelude.Definitions {
		sch.Types[d.Name] = d
	}
	for _, d := range prelude.Directives {
		if d.Name == "include" || d.Name == "skip" || d.Name == "deprecated" {
			sch.Directives[d.Name] = d
		}
	}
	sch.Directives["cached"] = cachedDirective()
	delete(sch.Types, "ID")
	query := &ast.Definition{Kind: ast.Object, Name: "query_root"}
	mutation := &ast.Definition{Kind: ast.Object, Name: "mutation_root"}
	subscription := &ast.Definition{Kind: ast.Object, Name: "subscription_root"}
	for _, t := range m.Tables {
		b.queryFields(t, query, subscription)
		b.mutationFields(t, mutation)
	}
	if len(query.Fields) == 0 {
		query.Fields = append(query.Fields, &ast.FieldDefinition{Name: "no_queries_available", Type: ast.NonNullNamedType("String", nil),
			Description: "There are no queries available to the current role. Either there are no sources or remote schemas configured, or the current role doesn't have the required permissions."})
	}
	sortFields(query)
	sortFields(mutation)
	sortFields(subscription)
	b.defs["query_root"] = query
	sch.Query = query
	if len(mutation.Fields) > 0 {
		b.defs["mutation_root"] = mutation
		sch.Mutation = mutation
	}
	if len(subscription.Fields) > 0 {
		b.defs["subscription_root"] = subscription
		sch.Subscription = subscription
	}
	for name, d := range b.defs {
		sch.Types[name] = d
		if d.Kind == ast.Object {
			sch.PossibleTypes[name] = []*ast.Definition{d}
		}
	}
	s.AST = sch
	return s
}

func cachedDirective() *ast.DirectiveDefinition {
	return &ast.DirectiveDefinition{
		Name:        "cached",
		Description: "whether this query should be cached (Hasura Cloud only)",
		Arguments: ast.ArgumentDefinitionList{
			{Name: "ttl", Description: "measured in seconds", Type: ast.NonNullNamedType("Int", nil), DefaultValue: &ast.Value{Kind: ast.IntValue, Raw: "60"}},
			{Name: "refresh", Description: "refresh the cache entry", Type: ast.NonNullNamedType("Boolean", nil), DefaultValue: &ast.Value{Kind: ast.BooleanValue, Raw: "false"}},
		},
		Locations: []ast.DirectiveLocation{ast.LocationQuery},
	}
}

func sortFields(d *ast.Definition) {
	sort.SliceStable(d.Fields, func(i, j int) bool { return d.Fields[i].Name < d.Fields[j].Name })
}

// builder accumulates the type definitions of one role.
type builder struct {
	s    *Schema
	defs map[string]*ast.Definition
}

// ensure creates the named type once with fill.
func (b *builder) ensure(name string, kind ast.DefinitionKind, desc string, fill func(d *ast.Definition)) {
	if _, ok := b.defs[name]; ok {
		return
	}
	d := &ast.Definition{Kind: kind, Name: name, Description: desc}
	b.defs[name] = d
	fill(d)
	if kind == ast.Object || kind == ast.InputObject {
		sortFields(d)
	}
}

func (b *builder) scalar(name string) {
	if model.BuiltinScalar(name) {
		return
	}
	b.ensure(name, ast.Scalar, "", func(*ast.Definition) {})
}

func named(n string) *ast.Type          { return ast.NamedType(n, nil) }
func nonNull(n string) *ast.Type        { return ast.NonNullNamedType(n, nil) }
func listOf(t *ast.Type) *ast.Type      { return ast.ListType(t, nil) }
func nonNullList(t *ast.Type) *ast.Type { return ast.NonNullListType(t, nil) }
