package sqlgen

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/model"
	"github.com/vektah/gqlparser/v2/ast"
)

// presetValue is a permission preset: a literal, or a session variable
// bound at run time.
func (c *compiler) presetValue(v any) (any, *gqlerr.Error) {
	return c.lateValue(v), nil
}

func (c *compiler) permCheck(t *model.Table, alias string, check any) (string, *gqlerr.Error) {
	if check == nil {
		return "", nil
	}
	if keys, _, _ := entries(check); len(keys) == 0 {
		return "", nil
	}
	return c.permExp(t, alias, check)
}

func (c *compiler) insert(t *model.Table, one bool, f *ast.Field, args map[string]any, path string) (func(context.Context, Querier, map[string]string) (json.RawMessage, error), *gqlerr.Error) {
	errPath := path + ".args.objects"
	var objs []*Obj
	if one {
		errPath = path + ".args.object"
		objs = []*Obj{args["object"].(*Obj)}
	} else {
		for _, o := range args["objects"].([]any) {
			objs = append(objs, o.(*Obj))
		}
	}
	if hasNested(t, objs) {
		oc, _ := args["on_conflict"].(*Obj)
		return c.insertNested(t, one, f, objs, oc, errPath, path)
	}
	perm := c.s.InsertPerm(t)
	// SQLite's RETURNING sees the inserted row only under the table's own
	// name, so there the output is compiled against it.
	r := c.newAlias()
	if c.d == SQLite {
		r = c.table(t)
	}
	out, err := c.output(t, f, one, r, path)
	if err != nil {
		return nil, err
	}
	check, err := c.permCheck(t, r, perm.Check)
	if err != nil {
		return nil, err
	}
	presets := map[string]any{}
	for k, v := range perm.Set {
		pv, err := c.presetValue(v)
		if err != nil {
			return nil, err
		}
		presets[k] = pv
	}
	// The columns written: every column given in some object, plus presets.
	used := map[string]bool{}
	for k := range presets {
		used[k] = true
	}
	for _, o := range objs {
		for _, k := range o.Keys {
			if col := t.ColumnByGQL(k); col != nil {
				used[col.Name] = true
			}
		}
	}
	var cols []*model.Column
	for _, col := range t.Columns {
		if used[col.Name] {
			cols = append(cols, col)
		}
	}
	a := c.newAlias()
	if c.d == SQLite {
		a = c.table(t)
	}
	conflict := ""
	if oc, ok := args["on_conflict"].(*Obj); ok {
		if conflict, err = c.onConflict(t, a, oc, path+".args.on_conflict"); err != nil {
			return nil, err
		}
	}
	rowValues := func(o *Obj) (names, vals []string) {
		for _, col := range cols {
			if pv, ok := presets[col.Name]; ok {
				names, vals = append(names, quote(col.Name)), append(vals, c.param(pv, col))
				continue
			}
			if v, ok := o.Get(col.GQLName); ok {
				names, vals = append(names, quote(col.Name)), append(vals, c.param(v, col))
				continue
			}
			names, vals = append(names, quote(col.Name)), append(vals, "DEFAULT")
		}
		return names, vals
	}
	st := &stmt{}
	if len(objs) == 0 {
		st.noop = true
	} else if c.d == Postgres {
		head := "INSERT INTO " + c.table(t) + " AS " + a
		var rows []string
		for _, o := range objs {
			_, vals := rowValues(o)
			rows = append(rows, "("+strings.Join(vals, ", ")+")")
		}
		if len(cols) == 0 {
			head += " DEFAULT VALUES"
			if len(objs) > 1 {
				head = "INSERT INTO " + c.table(t) + " AS " + a + " SELECT FROM generate_series(1, " + strconv.Itoa(len(objs)) + ")"
			}
		} else {
			var names []string
			for _, col := range cols {
				names = append(names, quote(col.Name))
			}
			head += " (" + strings.Join(names, ", ") + ") VALUES " + strings.Join(rows, ", ")
		}
		st.sql = "WITH _m AS (" + head + conflict + " RETURNING *) SELECT " + selectList(check, out.exprs) + " FROM _m AS " + r
		st.args = c.takeArgs()
	} else {
		shared := c.takeArgs() // params of output, check and conflict clause
		for _, o := range objs {
			c.args = append([]any{}, shared...)
			var names, vals []string
			for _, col := range cols {
				if pv, ok := presets[col.Name]; ok {
					names, vals = append(names, quote(col.Name)), append(vals, c.param(pv, col))
				} else if v, ok := o.Get(col.GQLName); ok {
					names, vals = append(names, quote(col.Name)), append(vals, c.param(v, col))
				}
			}
			q := "INSERT INTO " + c.table(t)
			if len(names) == 0 {
				q += " DEFAULT VALUES"
			} else {
				q += " (" + strings.Join(names, ", ") + ") VALUES (" + strings.Join(vals, ", ") + ")"
			}
			st.multi = append(st.multi, part{sql: q + conflict + " RETURNING " + selectList(check, out.exprs), args: c.takeArgs()})
		}
	}
	return func(ctx context.Context, q Querier, session map[string]string) (json.RawMessage, error) {
		return c.runStmt(ctx, q, session, st, out, errPath)
	}, nil
}

func (c *compiler) onConflict(t *model.Table, a string, oc *Obj, path string) (string, *gqlerr.Error) {
	cv, _ := oc.Get("constraint")
	name, _ := cv.(string)
	var con *model.Constraint
	for i := range t.Constraints {
		if t.Constraints[i].Name == name {
			con = &t.Constraints[i]
		}
	}
	if con == nil {
		return "", gqlerr.New(gqlerr.ConstraintError, path, "there is no unique or exclusion constraint on target column(s)")
	}
	target := " ON CONFLICT ON CONSTRAINT " + quote(con.Name)
	excluded := "EXCLUDED"
	if c.d == SQLite {
		var cols []string
		for _, col := range con.Columns {
			cols = append(cols, quote(col.Name))
		}
		target = " ON CONFLICT (" + strings.Join(cols, ", ") + ")"
		excluded = "excluded"
	}
	ucv, _ := oc.Get("update_columns")
	ucs, _ := ucv.([]any)
	if len(ucs) == 0 {
		return target + " DO NOTHING", nil
	}
	var sets []string
	for _, u := range ucs {
		col := t.ColumnByGQL(u.(string))
		if col == nil {
			continue
		}
		sets = append(sets, quote(col.Name)+" = "+excluded+"."+quote(col.Name))
	}
	if len(sets) == 0 {
		return target + " DO NOTHING", nil // only _PLACEHOLDER was given
	}
	up := c.s.UpdatePerm(t)
	for k, v := range up.Set {
		pv, err := c.presetValue(v)
		if err != nil {
			return "", err
		}
		col := t.Column(k)
		sets = append(sets, quote(col.Name)+" = "+c.param(pv, col))
	}
	var conds []string
	if up.Filter != nil {
		f, err := c.permCheck(t, a, up.Filter)
		if err != nil {
			return "", err
		}
		conds = append(conds, f)
	}
	if w, ok := oc.Get("where"); ok && w != nil {
		x, err := c.boolExp(t, a, w, false, path+".where")
		if err != nil {
			return "", err
		}
		conds = append(conds, x)
	}
	q := target + " DO UPDATE SET " + strings.Join(sets, ", ")
	if cond := and(conds...); cond != "(1=1)" {
		q += " WHERE " + cond
	}
	return q, nil
}
