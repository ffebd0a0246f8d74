package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/notes-app/notes/backend/internal/catalog"
	"github.com/notes-app/notes/backend/internal/metadata"
)

// PhysicalFunc maps a metadata table name onto its catalog key.
type PhysicalFunc func(schema, name string) catalog.Key

// rootFieldKeys are the custom_root_fields keys with their default name
// patterns.
var rootFieldKeys = []struct{ key, prefix, suffix string }{
	{"select", "", ""},
	{"select_by_pk", "", "_by_pk"},
	{"select_aggregate", "", "_aggregate"},
	{"select_stream", "", "_stream"},
	{"insert", "insert_", ""},
	{"insert_one", "insert_", "_one"},
	{"update", "update_", ""},
	{"update_by_pk", "update_", "_by_pk"},
	{"update_many", "update_", "_many"},
	{"delete", "delete_", ""},
	{"delete_by_pk", "delete_", "_by_pk"},
}

// Build resolves metadata against the catalog.
func Build(md *metadata.Metadata, cat *catalog.Catalog, physical PhysicalFunc) (*Model, error) {
	m := &Model{byKey: map[[2]string]*Table{}, IntrospectionDisabledFor: map[string]bool{}}
	for _, r := range md.IntrospectionDisabledFor {
		m.IntrospectionDisabledFor[r] = true
	}
	byPhysical := map[catalog.Key]*Table{}
	type pending struct {
		t  *Table
		mt *metadata.Table
		ct *catalog.Table
	}
	var all []pending
	for _, src := range md.Sources {
		for _, mt := range src.Tables {
			key := physical(mt.Table.Schema, mt.Table.Name)
			ct := cat.Tables[key]
			if ct == nil {
				return nil, fmt.Errorf("%s: table: table %q does not exist in the database", mt.File, mt.Table.String())
			}
			t, err := buildTable(mt, ct)
			if err != nil {
				return nil, err
			}
			if m.byKey[[2]string{t.Schema, t.Name}] != nil {
				return nil, fmt.Errorf("%s: table: %q is tracked twice", mt.File, mt.Table.String())
			}
			m.byKey[[2]string{t.Schema, t.Name}] = t
			byPhysical[key] = t
			m.Tables = append(m.Tables, t)
			all = append(all, pending{t, mt, ct})
		}
	}
	for _, p := range all {
		if err := buildRelationships(m, p.t, p.mt, p.ct, cat, byPhysical, physical); err != nil {
			return nil, err
		}
	}
	roles := map[string]bool{}
	for _, p := range all {
		if err := buildPermissions(p.t, p.mt); err != nil {
			return nil, err
		}
		for r := range p.t.Select {
			roles[r] = true
		}
		for r := range p.t.Insert {
			roles[r] = true
		}
		for r := range p.t.Update {
			roles[r] = true
		}
		for r := range p.t.Delete {
			roles[r] = true
		}
	}
	m.Roles = sortedKeys(roles)
	for _, t := range m.Tables {
		if err := m.checkPermissionExps(t); err != nil {
			return nil, err
		}
	}
	gqlNames := map[string]string{}
	for _, t := range m.Tables {
		if prev, ok := gqlNames[t.GQLName]; ok {
			return nil, fmt.Errorf("%s: configuration.custom_name: GraphQL name %q is also used by %s", t.File, t.GQLName, prev)
		}
		gqlNames[t.GQLName] = t.File
	}
	return m, nil
}

func buildTable(mt *metadata.Table, ct *catalog.Table) (*Table, error) {
	t := &Table{
		Schema: mt.Table.Schema, Name: mt.Table.Name, Physical: ct.Key.Name,
		Comment: mt.Configuration.Comment, IsView: ct.IsView, File: mt.File,
		colByName: map[string]*Column{}, colByGQLName: map[string]*Column{},
		RootFields: map[string]RootField{},
		Select:     map[string]*SelectPerm{}, Insert: map[string]*InsertPerm{},
		Update: map[string]*UpdatePerm{}, Delete: map[string]*DeletePerm{},
	}
	t.Computed = map[string]bool{}
	for _, cf := range mt.ComputedFields {
		t.Computed[cf.Name] = true
	}
	t.GQLName = t.Name
	t.SQLDesc = t.Name
	if t.Schema != "public" {
		t.GQLName = t.Schema + "_" + t.Name
		t.SQLDesc = t.Schema + "." + t.Name
	}
	if mt.Configuration.CustomName != "" {
		t.GQLName = mt.Configuration.CustomName
	}
	cfg := mt.Configuration
	for name := range cfg.ColumnConfig {
		if ct.Column(name) == nil {
			return nil, fmt.Errorf("%s: configuration.column_config.%s: column %q does not exist in table %q", mt.File, name, name, mt.Table.String())
		}
	}
	for name, custom := range cfg.CustomColumnNames {
		if ct.Column(name) == nil {
			return nil, fmt.Errorf("%s: configuration.custom_column_names.%s: column %q does not exist in table %q", mt.File, name, name, mt.Table.String())
		}
		if cc, ok := cfg.ColumnConfig[name]; ok && cc.CustomName != "" && cc.CustomName != custom {
			return nil, fmt.Errorf("%s: configuration.custom_column_names.%s: %q disagrees with column_config.%s.custom_name %q", mt.File, name, custom, name, cc.CustomName)
		}
	}
	for _, cc := range ct.Columns {
		c := &Column{Name: cc.Name, GQLName: cc.Name, Type: cc.Type, IsArray: cc.IsArray, Nullable: cc.Nullable, Default: cc.HasDefault}
		c.Scalar = ScalarName(cc.Type)
		if n, ok := cfg.CustomColumnNames[cc.Name]; ok && n != "" {
			c.GQLName = n
		}
		if conf, ok := cfg.ColumnConfig[cc.Name]; ok {
			if conf.CustomName != "" {
				c.GQLName = conf.CustomName
			}
			c.Comment = conf.Comment
		}
		if other, dup := t.colByGQLName[c.GQLName]; dup {
			return nil, fmt.Errorf("%s: configuration.column_config: columns %q and %q share the GraphQL name %q", mt.File, other.Name, c.Name, c.GQLName)
		}
		t.Columns = append(t.Columns, c)
		t.colByName[c.Name] = c
		t.colByGQLName[c.GQLName] = c
	}
	// SQLite constraint names are made up from the flat table name
	// (auth_users_pkey); name them as Postgres would (users_pkey).
	conName := func(c *catalog.Constraint) string {
		if c.Generated && t.Physical != t.Name && strings.HasPrefix(c.Name, t.Physical+"_") {
			return t.Name + "_" + strings.TrimPrefix(c.Name, t.Physical+"_")
		}
		return c.Name
	}
	if ct.PrimaryKey != nil {
		t.PKName = conName(ct.PrimaryKey)
		for _, n := range ct.PrimaryKey.Columns {
			t.PrimaryKey = append(t.PrimaryKey, t.colByName[n])
		}
		t.Constraints = append(t.Constraints, Constraint{Name: t.PKName, Columns: t.PrimaryKey})
	}
	for _, u := range ct.Uniques {
		con := Constraint{Name: conName(u)}
		for _, n := range u.Columns {
			if c := t.colByName[n]; c != nil {
				con.Columns = append(con.Columns, c)
			}
		}
		t.Constraints = append(t.Constraints, con)
	}
	sort.SliceStable(t.Constraints, func(i, j int) bool { return t.Constraints[i].Name < t.Constraints[j].Name })
	for _, k := range rootFieldKeys {
		t.RootFields[k.key] = RootField{Name: k.prefix + t.GQLName + k.suffix}
	}
	for k, v := range cfg.CustomRootFields {
		if _, ok := t.RootFields[k]; !ok {
			return nil, fmt.Errorf("%s: configuration.custom_root_fields.%s: unknown root field kind", mt.File, k)
		}
		if v.Name != "" {
			t.RootFields[k] = RootField{Name: v.Name, Comment: v.Comment}
		} else if v.Comment != "" {
			rf := t.RootFields[k]
			rf.Comment = v.Comment
			t.RootFields[k] = rf
		}
	}
	return t, nil
}

func buildRelationships(m *Model, t *Table, mt *metadata.Table, ct *catalog.Table, cat *catalog.Catalog, byPhysical map[catalog.Key]*Table, physical PhysicalFunc) error {
	for kindIdx, list := range [][]metadata.Relationship{mt.ObjectRelationships, mt.ArrayRelationships} {
		isArray := kindIdx == 1
		key := "object_relationships"
		if isArray {
			key = "array_relationships"
		}
		for i, rel := range list {
			where := fmt.Sprintf("%s: %s[%d] (%s)", mt.File, key, i, rel.Name)
			if rel.Name == "" {
				return fmt.Errorf("%s: name missing", where)
			}
			if t.Column(rel.Name) != nil || t.ColumnByGQL(rel.Name) != nil || t.Relationship(rel.Name) != nil {
				return fmt.Errorf("%s: name: %q clashes with a column or relationship of %q", where, rel.Name, mt.Table.String())
			}
			r := &Relationship{Name: rel.Name, IsArray: isArray, Comment: rel.Comment}
			switch {
			case rel.Using.Manual != nil:
				mc := rel.Using.Manual
				target := m.Table(mc.RemoteTable.Schema, mc.RemoteTable.Name)
				if target == nil {
					return fmt.Errorf("%s: using.manual_configuration.remote_table: table %q is not tracked", where, mc.RemoteTable.String())
				}
				r.Target = target
				for _, pair := range mc.Mapping() {
					lc, rc := t.Column(pair[0]), target.Column(pair[1])
					if lc == nil {
						return fmt.Errorf("%s: using.manual_configuration.column_mapping: column %q does not exist in %q", where, pair[0], mt.Table.String())
					}
					if rc == nil {
						return fmt.Errorf("%s: using.manual_configuration.column_mapping: column %q does not exist in %q", where, pair[1], mc.RemoteTable.String())
					}
					r.Mapping = append(r.Mapping, [2]*Column{lc, rc})
				}
			case rel.Using.ForeignKey != nil:
				fk := rel.Using.ForeignKey
				if fk.Table == nil {
					if isArray {
						return fmt.Errorf("%s: using.foreign_key_constraint_on: an array relationship needs {table, column}", where)
					}
					c := findFK(ct.ForeignKeys, fk.Columns)
					if c == nil {
						return fmt.Errorf("%s: using.foreign_key_constraint_on: no foreign key constraint on column(s) %v of %q", where, fk.Columns, mt.Table.String())
					}
					target := byPhysical[c.RefTable]
					if target == nil {
						return fmt.Errorf("%s: using.foreign_key_constraint_on: the referenced table %q is not tracked", where, c.RefTable.Name)
					}
					r.Target = target
					r.NonNull = true
					for j, col := range c.Columns {
						lc := t.Column(col)
						rcName := c.RefColumns[j]
						if rcName == "" && j < len(target.PrimaryKey) {
							rcName = target.PrimaryKey[j].Name
						}
						r.Mapping = append(r.Mapping, [2]*Column{lc, target.Column(rcName)})
						if lc.Nullable {
							r.NonNull = false
						}
					}
				} else {
					target := m.Table(fk.Table.Schema, fk.Table.Name)
					if target == nil {
						return fmt.Errorf("%s: using.foreign_key_constraint_on.table: table %q is not tracked", where, fk.Table.String())
					}
					tc := cat.Tables[physical(fk.Table.Schema, fk.Table.Name)]
					c := findFK(tc.ForeignKeys, fk.Columns)
					if c == nil || byPhysical[c.RefTable] != t {
						return fmt.Errorf("%s: using.foreign_key_constraint_on: no foreign key on %q column(s) %v referencing %q", where, fk.Table.String(), fk.Columns, mt.Table.String())
					}
					r.Target = target
					for j, col := range c.Columns {
						lcName := c.RefColumns[j]
						if lcName == "" && j < len(t.PrimaryKey) {
							lcName = t.PrimaryKey[j].Name
						}
						r.Mapping = append(r.Mapping, [2]*Column{t.Column(lcName), target.Column(col)})
					}
				}
			default:
				return fmt.Errorf("%s: using: expected foreign_key_constraint_on or manual_configuration", where)
			}
			if isArray {
				t.ArrayRels = append(t.ArrayRels, r)
			} else {
				t.ObjectRels = append(t.ObjectRels, r)
			}
		}
	}
	return nil
}

func findFK(fks []*catalog.ForeignKey, cols []string) *catalog.ForeignKey {
	for _, fk := range fks {
		if slices.Equal(fk.Columns, cols) {
			return fk
		}
	}
	for _, fk := range fks {
		a, b := slices.Clone(fk.Columns), slices.Clone(cols)
		sort.Strings(a)
		sort.Strings(b)
		if slices.Equal(a, b) {
			return fk
		}
	}
	return nil
}
