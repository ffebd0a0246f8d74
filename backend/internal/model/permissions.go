package model

import (
	"fmt"

	"github.com/notes-app/notes/backend/internal/metadata"
)

func buildPermissions(t *Table, mt *metadata.Table) error {
	for i, e := range mt.SelectPermissions {
		where := fmt.Sprintf("%s: select_permissions[%d] (role %s)", mt.File, i, e.Role)
		if _, dup := t.Select[e.Role]; dup {
			return fmt.Errorf("%s: role: duplicate permission", where)
		}
		cols, err := columnSet(t, &e.Permission.Columns, where)
		if err != nil {
			return err
		}
		p := &SelectPerm{Columns: cols, Filter: e.Permission.Filter, Limit: e.Permission.Limit, AllowAggregations: e.Permission.AllowAggregations}
		if q := e.Permission.QueryRootFields; q != nil {
			p.QueryRootFields = map[string]bool{}
			for _, k := range *q {
				p.QueryRootFields[k] = true
			}
		}
		if q := e.Permission.SubscriptionRootFields; q != nil {
			p.SubscriptionRootFields = map[string]bool{}
			for _, k := range *q {
				p.SubscriptionRootFields[k] = true
			}
		}
		t.Select[e.Role] = p
	}
	for i, e := range mt.InsertPermissions {
		where := fmt.Sprintf("%s: insert_permissions[%d] (role %s)", mt.File, i, e.Role)
		cols := e.Permission.Columns
		if cols == nil {
			cols = &metadata.Columns{All: true}
		}
		set, err := columnSet(t, cols, where)
		if err != nil {
			return err
		}
		if err := checkPreset(t, e.Permission.Set, where); err != nil {
			return err
		}
		t.Insert[e.Role] = &InsertPerm{Columns: set, Check: e.Permission.Check, Set: e.Permission.Set, BackendOnly: e.Permission.BackendOnly}
	}
	for i, e := range mt.UpdatePermissions {
		where := fmt.Sprintf("%s: update_permissions[%d] (role %s)", mt.File, i, e.Role)
		set, err := columnSet(t, &e.Permission.Columns, where)
		if err != nil {
			return err
		}
		if err := checkPreset(t, e.Permission.Set, where); err != nil {
			return err
		}
		t.Update[e.Role] = &UpdatePerm{Columns: set, Filter: e.Permission.Filter, Check: e.Permission.Check, Set: e.Permission.Set, BackendOnly: e.Permission.BackendOnly}
	}
	for _, e := range mt.DeletePermissions {
		t.Delete[e.Role] = &DeletePerm{Filter: e.Permission.Filter, BackendOnly: e.Permission.BackendOnly}
	}
	return nil
}

func columnSet(t *Table, cols *metadata.Columns, where string) (map[string]bool, error) {
	set := map[string]bool{}
	if cols.All {
		for _, c := range t.Columns {
			set[c.Name] = true
		}
		return set, nil
	}
	for _, n := range cols.List {
		if t.Column(n) == nil {
			return nil, fmt.Errorf("%s: permission.columns: column %q does not exist in table \"%s.%s\"", where, n, t.Schema, t.Name)
		}
		set[n] = true
	}
	return set, nil
}

func checkPreset(t *Table, set map[string]any, where string) error {
	for n := range set {
		if t.Column(n) == nil {
			return fmt.Errorf("%s: permission.set.%s: column %q does not exist in table \"%s.%s\"", where, n, n, t.Schema, t.Name)
		}
	}
	return nil
}
