// Package metadata reads a Hasura config v3 metadata directory (the layout
// Nhost projects ship under nhost/metadata) into plain Go values. It knows
// the file layout and the YAML keys; it knows nothing about the database.
package metadata

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Metadata is the loaded metadata of one project.
type Metadata struct {
	Sources []*Source
	// IntrospectionDisabledFor lists roles from graphql_schema_introspection.yaml.
	IntrospectionDisabledFor []string
}

// Source is one entry of databases.yaml with its tracked tables.
type Source struct {
	Name   string
	Kind   string
	Tables []*Table
}

// QualifiedName is a table reference: {schema, name}, or a bare name in public.
type QualifiedName struct {
	Schema string `yaml:"schema"`
	Name   string `yaml:"name"`
}

// String returns schema.name.
func (q QualifiedName) String() string { return q.Schema + "." + q.Name }

// UnmarshalYAML accepts a mapping {schema, name} or a bare string.
func (q *QualifiedName) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		q.Schema, q.Name = "public", n.Value
		return nil
	}
	type plain QualifiedName
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*q = QualifiedName(p)
	if q.Schema == "" {
		q.Schema = "public"
	}
	if q.Name == "" {
		return fmt.Errorf("line %d: table name missing", n.Line)
	}
	return nil
}

// Table is one tracked table file (databases/<source>/tables/<schema>_<name>.yaml).
type Table struct {
	// File is the path of the file that defined the table, for error messages.
	File                string            `yaml:"-"`
	Table               QualifiedName     `yaml:"table"`
	Configuration       TableConfig       `yaml:"configuration"`
	IsEnum              bool              `yaml:"is_enum"`
	ObjectRelationships []Relationship    `yaml:"object_relationships"`
	ArrayRelationships  []Relationship    `yaml:"array_relationships"`
	InsertPermissions   []InsertPermEntry `yaml:"insert_permissions"`
	SelectPermissions   []SelectPermEntry `yaml:"select_permissions"`
	UpdatePermissions   []UpdatePermEntry `yaml:"update_permissions"`
	DeletePermissions   []DeletePermEntry `yaml:"delete_permissions"`
	// ComputedFields are read for their names only: the engine does not
	// evaluate computed fields, but permissions may mention them.
	ComputedFields []struct {
		Name string `yaml:"name"`
	} `yaml:"computed_fields"`
	Extra map[string]any `yaml:",inline"`
}

// TableConfig is the configuration key of a table file.
type TableConfig struct {
	CustomName        string                  `yaml:"custom_name"`
	CustomRootFields  map[string]RootField    `yaml:"custom_root_fields"`
	ColumnConfig      map[string]ColumnConfig `yaml:"column_config"`
	CustomColumnNames map[string]string       `yaml:"custom_column_names"`
	Comment           string                  `yaml:"comment"`
}

// RootField is a custom root field: a bare name or {name, comment}.
type RootField struct {
	Name    string `yaml:"name"`
	Comment string `yaml:"comment"`
}

// UnmarshalYAML accepts a string or a mapping.
func (r *RootField) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		r.Name = n.Value
		return nil
	}
	type plain RootField
	return n.Decode((*plain)(r))
}

// ColumnConfig is one entry of column_config.
type ColumnConfig struct {
	CustomName string `yaml:"custom_name"`
	Comment    string `yaml:"comment"`
}

// Relationship is an object or array relationship entry.
type Relationship struct {
	Name    string   `yaml:"name"`
	Comment string   `yaml:"comment"`
	Using   RelUsing `yaml:"using"`
}

// RelUsing is the using key of a relationship: a foreign key or a manual mapping.
type RelUsing struct {
	ForeignKey *FKUsing      `yaml:"foreign_key_constraint_on"`
	Manual     *ManualConfig `yaml:"manual_configuration"`
}

// FKUsing is foreign_key_constraint_on: a column name (or list) of this
// table, or {table, column|columns} naming the referencing table.
type FKUsing struct {
	Table   *QualifiedName
	Columns []string
}

// UnmarshalYAML accepts a column, a column list, or {table, column(s)}.
func (f *FKUsing) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		f.Columns = []string{n.Value}
		return nil
	case yaml.SequenceNode:
		return n.Decode(&f.Columns)
	}
	var m struct {
		Table   *QualifiedName `yaml:"table"`
		Column  string         `yaml:"column"`
		Columns yaml.Node      `yaml:"columns"`
	}
	if err := n.Decode(&m); err != nil {
		return err
	}
	f.Table = m.Table
	switch m.Columns.Kind {
	case yaml.ScalarNode:
		f.Columns = []string{m.Columns.Value}
	case yaml.SequenceNode:
		if err := m.Columns.Decode(&f.Columns); err != nil {
			return err
		}
	}
	if m.Column != "" {
		f.Columns = []string{m.Column}
	}
	if len(f.Columns) == 0 {
		return fmt.Errorf("line %d: foreign_key_constraint_on: column missing", n.Line)
	}
	return nil
}

// ManualConfig is manual_configuration of a relationship.
type ManualConfig struct {
	RemoteTable    QualifiedName `yaml:"remote_table"`
	ColumnMapping  yaml.Node     `yaml:"column_mapping"`
	InsertionOrder string        `yaml:"insertion_order"`
}

// Mapping returns column_mapping pairs in file order.
func (m *ManualConfig) Mapping() [][2]string {
	var out [][2]string
	for i := 0; i+1 < len(m.ColumnMapping.Content); i += 2 {
		out = append(out, [2]string{m.ColumnMapping.Content[i].Value, m.ColumnMapping.Content[i+1].Value})
	}
	return out
}

// Columns is a permission column list: "*" or a list of database names.
type Columns struct {
	All  bool
	List []string
}

// UnmarshalYAML accepts "*" or a list.
func (c *Columns) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if n.Value != "*" {
			return fmt.Errorf("line %d: columns: expected \"*\" or a list", n.Line)
		}
		c.All = true
		return nil
	}
	return n.Decode(&c.List)
}

// MarshalYAML writes "*" or the list.
func (c Columns) MarshalYAML() (any, error) {
	if c.All {
		return "*", nil
	}
	return c.List, nil
}

// SelectPermEntry is one select_permissions element.
type SelectPermEntry struct {
	Role       string           `yaml:"role"`
	Permission SelectPermission `yaml:"permission"`
	Comment    string           `yaml:"comment,omitempty"`
}

// SelectPermission is the permission of a select_permissions entry.
type SelectPermission struct {
	Columns                Columns   `yaml:"columns"`
	Filter                 any       `yaml:"filter"`
	Limit                  *int      `yaml:"limit,omitempty"`
	AllowAggregations      bool      `yaml:"allow_aggregations,omitempty"`
	QueryRootFields        *[]string `yaml:"query_root_fields,omitempty"`
	SubscriptionRootFields *[]string `yaml:"subscription_root_fields,omitempty"`
	ComputedFields         []string  `yaml:"computed_fields,omitempty"`
}

// InsertPermEntry is one insert_permissions element.
type InsertPermEntry struct {
	Role       string           `yaml:"role"`
	Permission InsertPermission `yaml:"permission"`
	Comment    string           `yaml:"comment,omitempty"`
}

// InsertPermission is the permission of an insert_permissions entry.
// A nil Columns means all columns.
type InsertPermission struct {
	Check       any            `yaml:"check"`
	Set         map[string]any `yaml:"set,omitempty"`
	Columns     *Columns       `yaml:"columns,omitempty"`
	BackendOnly bool           `yaml:"backend_only,omitempty"`
}

// UpdatePermEntry is one update_permissions element.
type UpdatePermEntry struct {
	Role       string           `yaml:"role"`
	Permission UpdatePermission `yaml:"permission"`
	Comment    string           `yaml:"comment,omitempty"`
}

// UpdatePermission is the permission of an update_permissions entry. A nil
// Check means no post-condition.
type UpdatePermission struct {
	Columns     Columns        `yaml:"columns"`
	Filter      any            `yaml:"filter"`
	Check       any            `yaml:"check,omitempty"`
	Set         map[string]any `yaml:"set,omitempty"`
	BackendOnly bool           `yaml:"backend_only,omitempty"`
}

// DeletePermEntry is one delete_permissions element.
type DeletePermEntry struct {
	Role       string           `yaml:"role"`
	Permission DeletePermission `yaml:"permission"`
	Comment    string           `yaml:"comment,omitempty"`
}

// DeletePermission is the permission of a delete_permissions entry.
type DeletePermission struct {
	Filter      any  `yaml:"filter"`
	BackendOnly bool `yaml:"backend_only,omitempty"`
}
