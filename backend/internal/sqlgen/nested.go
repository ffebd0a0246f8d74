package sqlgen

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/model"
	"github.com/vektah/gqlparser/v2/ast"
)

// Nested inserts (objects holding <rel>: {data, on_conflict}) run row by
// row inside the mutation's transaction: an object relationship's row
// first (its key fills this row's foreign key), then this row, then the
// rows of array relationships (this row's key fills theirs). Keys travel
// as late-bound parameters, so the plan stays reusable.

// fkPrefix names the late-bound parameter of a foreign key column.
const fkPrefix = "\x00fk:"

type nestedRow struct {
	table    *model.Table
	sql      string
	args     []any
	returned []*model.Column // columns the relationships need, after the identity
	objRels  []nestedRel
	arrRels  []nestedRel
	checkSQL string // SELECT the insert check for the row's identity; "" when none
	checkArg []any
}

type nestedRel struct {
	rel  *model.Relationship
	rows []*nestedRow
}

func hasNested(t *model.Table, objs []*Obj) bool {
	for _, o := range objs {
		for _, k := range o.Keys {
			if t.Relationship(k) != nil {
				return true
			}
		}
	}
	return false
}

// identity is the expression naming an inserted row for read-back.
func (c *compiler) identity(alias string) string {
	if c.d == Postgres {
		return alias + ".ctid"
	}
	return alias + ".rowid"
}

func (c *compiler) identityParam(n int) string {
	if c.d == Postgres {
		return "($" + strconv.Itoa(n) + "::text)::tid"
	}
	return "?" + strconv.Itoa(n)
}

// nestedRow compiles one object (and its nested relationships) of table t.
// fkCols are the columns a parent row fills (array relationship children);
// need are the columns a child row must return (object relationships).
func (c *compiler) nestedRow(t *model.Table, o *Obj, onConflict *Obj, fkCols, need []*model.Column, path string) (*nestedRow, *gqlerr.Error) {
	perm := c.s.InsertPerm(t)
	row := &nestedRow{table: t, returned: need}
	late := map[string]bool{}
	for _, col := range fkCols {
		late[col.Name] = true
	}
	for i, k := range o.Keys {
		rel := t.Relationship(k)
		if rel == nil {
			continue
		}
		ro, _ := o.Vals[i].(*Obj)
		if ro == nil {
			continue
		}
		data, _ := ro.Get("data")
		oc, _ := ro.Get("on_conflict")
		ocObj, _ := oc.(*Obj)
		nr := nestedRel{rel: rel}
		if !rel.IsArray {
			child, err := c.nestedRow(rel.Target, data.(*Obj), ocObj, nil, mappingCols(rel, 1), path+"."+k+".data")
			if err != nil {
				return nil, err
			}
			nr.rows = []*nestedRow{child}
			row.objRels = append(row.objRels, nr)
			for _, m := range rel.Mapping {
				late[m[0].Name] = true
			}
			continue
		}
		list, _ := data.([]any)
		for j, el := range list {
			child, err := c.nestedRow(rel.Target, el.(*Obj), ocObj, mappingCols(rel, 1), nil, fmt.Sprintf("%s.%s.data[%d]", path, k, j))
			if err != nil {
				return nil, err
			}
			nr.rows = append(nr.rows, child)
		}
		row.returned = appendCols(row.returned, mappingCols(rel, 0))
		row.arrRels = append(row.arrRels, nr)
	}
	a := c.newAlias()
	c.args = nil
	conflict := ""
	if onConflict != nil {
		var err *gqlerr.Error
		if conflict, err = c.onConflict(t, a, onConflict, path+".on_conflict"); err != nil {
			return nil, err
		}
	}
	var names, vals []string
	for _, col := range t.Columns {
		var v string
		switch pv, preset := perm.Set[col.Name]; {
		case preset:
			v = c.param(c.lateValue(pv), col)
		case late[col.Name]:
			v = c.param(sessionRef{fkPrefix + col.Name}, col)
		default:
			x, ok := o.Get(col.GQLName)
			if !ok {
				continue
			}
			v = c.param(x, col)
		}
		names, vals = append(names, quote(col.Name)), append(vals, v)
	}
	q := "INSERT INTO " + c.table(t) + " AS " + a
	if len(names) == 0 {
		q += " DEFAULT VALUES"
	} else {
		q += " (" + strings.Join(names, ", ") + ") VALUES (" + strings.Join(vals, ", ") + ")"
	}
	ret := []string{"ctid::text"}
	if c.d == SQLite {
		ret = []string{"rowid"}
	}
	for _, col := range row.returned {
		ref := quote(col.Name)
		if c.d == Postgres {
			ref = a + "." + ref + "::text"
		}
		ret = append(ret, ref)
	}
	row.sql = q + conflict + " RETURNING " + strings.Join(ret, ", ")
	row.args = c.takeArgs()
	r := c.newAlias()
	check, err := c.permCheck(t, r, perm.Check)
	if err != nil {
		return nil, err
	}
	if check != "" {
		row.checkArg = c.takeArgs()
		row.checkSQL = "SELECT " + selectList(check, nil) + " FROM " + c.table(t) + " AS " + r + " WHERE " + c.identity(r) + " = " + c.identityParam(len(row.checkArg)+1)
	}
	return row, nil
}

func mappingCols(rel *model.Relationship, side int) []*model.Column {
	var out []*model.Column
	for _, m := range rel.Mapping {
		out = append(out, m[side])
	}
	return out
}

func appendCols(list, more []*model.Column) []*model.Column {
	for _, m := range more {
		dup := false
		for _, l := range list {
			dup = dup || l == m
		}
		if !dup {
			list = append(list, m)
		}
	}
	return list
}

// insertNested compiles an insert whose objects hold nested relationships.
func (c *compiler) insertNested(t *model.Table, one bool, f *ast.Field, objs []*Obj, onConflict *Obj, errPath, path string) (func(context.Context, Querier, map[string]string) (json.RawMessage, error), *gqlerr.Error) {
	var rows []*nestedRow
	for i, o := range objs {
		p := fmt.Sprintf("%s.args.objects[%d]", path, i)
		if one {
			p = path + ".args.object"
		}
		row, err := c.nestedRow(t, o, onConflict, nil, nil, p)
		if err != nil {
			return nil, err
		}
		row.checkSQL = "" // the read-back below checks top-level rows
		rows = append(rows, row)
	}
	r := c.newAlias()
	c.args = nil
	out, err := c.output(t, f, one, r, path)
	if err != nil {
		return nil, err
	}
	check, err := c.permCheck(t, r, c.s.InsertPerm(t).Check)
	if err != nil {
		return nil, err
	}
	readArgs := c.takeArgs()
	readBack := "SELECT " + selectList(check, out.exprs) + " FROM " + c.table(t) + " AS " + r + " WHERE " + c.identity(r) + " = " + c.identityParam(len(readArgs)+1)
	return func(ctx context.Context, q Querier, session map[string]string) (json.RawMessage, error) {
		var results [][]string
		total := 0
		for _, row := range rows {
			id, _, n, err := c.runNested(ctx, q, session, row, nil, errPath)
			if err != nil {
				return nil, err
			}
			total += n
			if id == "" {
				continue // ignored by on_conflict
			}
			args, err := bindArgs(c.d, readArgs, session)
			if err != nil {
				return nil, err
			}
			res, err := c.queryRow(ctx, q, readBack, append(append([]any{}, args...), id))
			if err != nil {
				return nil, &DBError{Err: err, Path: errPath}
			}
			if res[0] != "1" && res[0] != "true" {
				e := *errCheck
				e.Path = errPath
				return nil, &e
			}
			results = append(results, res[1:])
		}
		return out.assembleN(results, total), nil
	}, nil
}

// runNested inserts a row and its relationships; it returns the row's
// identity ("" when on_conflict skipped it), its returned columns and the
// number of rows inserted.
func (c *compiler) runNested(ctx context.Context, q Querier, session map[string]string, row *nestedRow, fk map[string]string, errPath string) (string, map[string]string, int, error) {
	vars := map[string]string{}
	for k, v := range session {
		vars[k] = v
	}
	for k, v := range fk {
		vars[k] = v
	}
	count := 0
	for _, rel := range row.objRels {
		_, vals, n, err := c.runNested(ctx, q, session, rel.rows[0], nil, errPath)
		if err != nil {
			return "", nil, 0, err
		}
		count += n
		for _, m := range rel.rel.Mapping {
			vars[fkPrefix+m[0].Name] = vals[m[1].Name]
		}
	}
	args, err := bindArgs(c.d, row.args, vars)
	if err != nil {
		return "", nil, 0, err
	}
	res, err := c.queryRow(ctx, q, row.sql, args)
	if err != nil {
		return "", nil, 0, &DBError{Err: err, Path: errPath}
	}
	if res == nil {
		return "", nil, count, nil
	}
	count++
	id := res[0]
	vals := map[string]string{}
	for i, col := range row.returned {
		vals[col.Name] = res[i+1]
	}
	if row.checkSQL != "" {
		cargs, err := bindArgs(c.d, row.checkArg, session)
		if err != nil {
			return "", nil, 0, err
		}
		chk, err := c.queryRow(ctx, q, row.checkSQL, append(append([]any{}, cargs...), id))
		if err != nil {
			return "", nil, 0, &DBError{Err: err, Path: errPath}
		}
		if chk == nil || (chk[0] != "1" && chk[0] != "true") {
			e := *errCheck
			e.Path = errPath
			return "", nil, 0, &e
		}
	}
	for _, rel := range row.arrRels {
		childFK := map[string]string{}
		for _, m := range rel.rel.Mapping {
			childFK[fkPrefix+m[1].Name] = vals[m[0].Name]
		}
		for _, child := range rel.rows {
			_, _, n, err := c.runNested(ctx, q, session, child, childFK, errPath)
			if err != nil {
				return "", nil, 0, err
			}
			count += n
		}
	}
	return id, vals, count, nil
}
