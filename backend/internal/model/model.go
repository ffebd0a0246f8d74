// Package model joins metadata and the database catalog into the resolved
// tables the schema generator and the compiler work from: GraphQL names,
// column types, relationships with their column mappings, and permissions
// per role. Every mismatch is reported naming the metadata file and key.
package model

import "sort"

// Model is the resolved set of tracked tables.
type Model struct {
	Tables []*Table
	// Roles lists every role named in a permission, sorted.
	Roles                    []string
	IntrospectionDisabledFor map[string]bool
	byKey                    map[[2]string]*Table
}

// Table is a tracked table or view.
type Table struct {
	Schema, Name string
	// Physical is the table's name in the database (auth_users on SQLite).
	Physical string
	// GQLName is the base GraphQL name (custom_name or schema_name).
	GQLName string
	// SQLDesc is the name descriptions quote: notes or auth.users.
	SQLDesc string
	Comment string
	IsView  bool

	Columns     []*Column
	PrimaryKey  []*Column
	PKName      string
	Constraints []Constraint
	ObjectRels  []*Relationship
	ArrayRels   []*Relationship
	RootFields  map[string]RootField
	Select      map[string]*SelectPerm
	Insert      map[string]*InsertPerm
	Update      map[string]*UpdatePerm
	Delete      map[string]*DeletePerm
	File        string
	// Computed names the table's computed fields (not evaluated).
	Computed     map[string]bool
	colByName    map[string]*Column
	colByGQLName map[string]*Column
}

// RootField is a resolved root field name and its description override.
type RootField struct {
	Name    string
	Comment string
}

// Constraint is a unique or primary key constraint.
type Constraint struct {
	Name    string
	Columns []*Column
}

// Column is a resolved column.
type Column struct {
	Name     string
	GQLName  string
	Type     string // Postgres type name: int4, text, uuid, ...
	IsArray  bool
	Scalar   string // GraphQL scalar name: Int, String, uuid, ...
	Nullable bool
	Default  bool
	Comment  string
}

// Relationship is a resolved object or array relationship.
type Relationship struct {
	Name    string
	IsArray bool
	Target  *Table
	// Mapping pairs a column of this table with one of the target.
	Mapping [][2]*Column
	// NonNull is set for object relationships from a foreign key whose
	// columns are all NOT NULL.
	NonNull bool
	Comment string
}

// BoolExp is a permission boolean expression as written in metadata
// (decoded YAML: maps, lists, scalars).
type BoolExp = any

// SelectPerm is a resolved select permission.
type SelectPerm struct {
	Columns           map[string]bool
	Filter            BoolExp
	Limit             *int
	AllowAggregations bool
	// QueryRootFields and SubscriptionRootFields are nil when absent (all allowed).
	QueryRootFields        map[string]bool
	SubscriptionRootFields map[string]bool
}

// InsertPerm is a resolved insert permission.
type InsertPerm struct {
	Columns     map[string]bool
	Check       BoolExp
	Set         map[string]any
	BackendOnly bool
}

// UpdatePerm is a resolved update permission.
type UpdatePerm struct {
	Columns     map[string]bool
	Filter      BoolExp
	Check       BoolExp // nil: no post-condition
	Set         map[string]any
	BackendOnly bool
}

// DeletePerm is a resolved delete permission.
type DeletePerm struct {
	Filter      BoolExp
	BackendOnly bool
}

// Table returns the tracked table schema.name or nil.
func (m *Model) Table(schema, name string) *Table { return m.byKey[[2]string{schema, name}] }

// Column returns the column with the database name or nil.
func (t *Table) Column(name string) *Column { return t.colByName[name] }

// ColumnByGQL returns the column with the GraphQL name or nil.
func (t *Table) ColumnByGQL(name string) *Column { return t.colByGQLName[name] }

// Relationship returns the relationship with the name or nil.
func (t *Table) Relationship(name string) *Relationship {
	for _, r := range t.ObjectRels {
		if r.Name == name {
			return r
		}
	}
	for _, r := range t.ArrayRels {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// HasNumeric reports whether the table has a numeric column among cols.
func HasNumeric(cols []*Column) bool {
	for _, c := range cols {
		if c.IsNumeric() {
			return true
		}
	}
	return false
}

// IsNumeric reports whether sum/avg/_inc apply to the column.
func (c *Column) IsNumeric() bool {
	if c.IsArray {
		return false
	}
	switch c.Type {
	case "int2", "int4", "int8", "float4", "float8", "numeric", "money":
		return true
	}
	return false
}

// IsComparable reports whether max/min apply to the column.
func (c *Column) IsComparable() bool {
	if c.IsArray {
		return false
	}
	switch c.Type {
	case "json", "jsonb", "bool", "geometry", "geography":
		return false
	}
	_, known := scalarNames[c.Type]
	return known
}

// IsStringLike reports whether the text operators (_like ...) apply.
func (c *Column) IsStringLike() bool {
	return !c.IsArray && (c.Scalar == "String" || c.Scalar == "citext" || c.Scalar == "bpchar")
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
