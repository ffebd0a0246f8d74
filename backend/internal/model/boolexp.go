package model

import (
	"fmt"
	"sort"
	"strings"
)

// checkBoolExp validates a permission boolean expression on t: every key
// is a logical operator, a column or a relationship of the table it
// applies to (or a computed field, which is not evaluated).
func (m *Model) checkBoolExp(t *Table, e any, where string) error {
	obj, ok := e.(map[string]any)
	if !ok {
		if e == nil {
			return nil
		}
		return fmt.Errorf("%s: expected an object", where)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := obj[k]
		at := where + "." + k
		switch op := strings.TrimLeft(k, "_$"); {
		case op == "and" || op == "or":
			list, isList := v.([]any)
			if !isList {
				list = []any{v}
			}
			for i, el := range list {
				if err := m.checkBoolExp(t, el, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		case op == "not":
			if err := m.checkBoolExp(t, v, at); err != nil {
				return err
			}
		case op == "exists":
			ex, _ := v.(map[string]any)
			schemaName, name := "public", ""
			switch tb := ex["_table"].(type) {
			case string:
				name = tb
			case map[string]any:
				name, _ = tb["name"].(string)
				if s, ok := tb["schema"].(string); ok {
					schemaName = s
				}
			}
			target := m.Table(schemaName, name)
			if target == nil {
				return fmt.Errorf("%s._table: table %q is not tracked", at, schemaName+"."+name)
			}
			if err := m.checkBoolExp(target, ex["_where"], at+"._where"); err != nil {
				return err
			}
		case t.Column(k) != nil:
			// Operators are checked when used: Hasura has more (PostGIS,
			// ltree) than the engine evaluates.
		case t.Computed[k]:
			// Computed fields are not evaluated by the engine; a request
			// whose permission reaches one fails then, not at startup.
		case t.Relationship(k) != nil:
			if err := m.checkBoolExp(t.Relationship(k).Target, v, at); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: no column or relationship %q in table \"%s.%s\"", at, k, t.Schema, t.Name)
		}
	}
	return nil
}

// checkPermissionExps validates every filter and check of the table.
func (m *Model) checkPermissionExps(t *Table) error {
	for _, role := range sortedRoles(t) {
		if p := t.Select[role]; p != nil {
			if err := m.checkBoolExp(t, p.Filter, fmt.Sprintf("%s: select_permissions (role %s): permission.filter", t.File, role)); err != nil {
				return err
			}
		}
		if p := t.Insert[role]; p != nil {
			if err := m.checkBoolExp(t, p.Check, fmt.Sprintf("%s: insert_permissions (role %s): permission.check", t.File, role)); err != nil {
				return err
			}
		}
		if p := t.Update[role]; p != nil {
			if err := m.checkBoolExp(t, p.Filter, fmt.Sprintf("%s: update_permissions (role %s): permission.filter", t.File, role)); err != nil {
				return err
			}
			if err := m.checkBoolExp(t, p.Check, fmt.Sprintf("%s: update_permissions (role %s): permission.check", t.File, role)); err != nil {
				return err
			}
		}
		if p := t.Delete[role]; p != nil {
			if err := m.checkBoolExp(t, p.Filter, fmt.Sprintf("%s: delete_permissions (role %s): permission.filter", t.File, role)); err != nil {
				return err
			}
		}
	}
	return nil
}

func sortedRoles(t *Table) []string {
	set := map[string]bool{}
	for r := range t.Select {
		set[r] = true
	}
	for r := range t.Insert {
		set[r] = true
	}
	for r := range t.Update {
		set[r] = true
	}
	for r := range t.Delete {
		set[r] = true
	}
	return sortedKeys(set)
}
