package sqlgen

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/model"
	"github.com/notes-app/notes/backend/internal/schema"
	"github.com/vektah/gqlparser/v2/ast"
)

func (c *compiler) queryRoot(rf schema.RootField, f *ast.Field, fd *ast.FieldDefinition, args map[string]any, path string) (string, *gqlerr.Error) {
	t := rf.Table
	switch rf.Kind {
	case schema.Select:
		return c.listQuery(t, f.SelectionSet, args, nil, path)
	case schema.SelectAggregate:
		return c.aggregateQuery(t, f.SelectionSet, args, nil, path)
	case schema.SelectByPK:
		a := c.newAlias()
		var conds []string
		for _, col := range t.PrimaryKey {
			conds = append(conds, a+"."+quote(col.Name)+" = "+c.param(args[col.GQLName], col))
		}
		pf, err := c.selectFilter(t, a)
		if err != nil {
			return "", err
		}
		row, err := c.rowJSON(t, a, f.SelectionSet, path, t.GQLName)
		if err != nil {
			return "", err
		}
		return "SELECT " + row + " FROM " + c.table(t) + " AS " + a + " WHERE " + and(append(conds, pf)...) + " LIMIT 1", nil
	}
	return "", gqlerr.Validation(path, "field '%s' not found in type: 'query_root'", f.Name)
}

// selectParts are the pieces of a SELECT over one table shared by lists
// and aggregates.
type selectParts struct {
	alias    string
	from     string
	where    string
	order    []orderItem
	limit    string
	offset   string
	distinct []*model.Column
	permLim  *int
}

func (c *compiler) selectBase(t *model.Table, args map[string]any, join func(a string) string, path string) (*selectParts, *gqlerr.Error) {
	p := &selectParts{alias: c.newAlias()}
	a := p.alias
	p.from = c.table(t) + " AS " + a
	var conds []string
	if join != nil {
		conds = append(conds, join(a))
	}
	pf, err := c.selectFilter(t, a)
	if err != nil {
		return nil, err
	}
	conds = append(conds, pf)
	if w, ok := args["where"]; ok && w != nil {
		x, err := c.boolExp(t, a, w, false, path+".args.where")
		if err != nil {
			return nil, err
		}
		conds = append(conds, x)
	}
	p.where = and(conds...)
	if ob, ok := args["order_by"]; ok && ob != nil {
		items, err := c.orderBy(t, a, ob, path+".args.order_by")
		if err != nil {
			return nil, err
		}
		p.order = items
	}
	if dv, ok := args["distinct_on"]; ok && dv != nil {
		list, _ := dv.([]any)
		for _, n := range list {
			p.distinct = append(p.distinct, t.ColumnByGQL(n.(string)))
		}
		if len(p.order) > 0 {
			for i, col := range p.distinct {
				if i >= len(p.order) || p.order[i].col != col {
					return nil, gqlerr.Validation(path+".args", `"distinct_on" columns must match initial "order_by" columns`)
				}
			}
		}
	}
	if perm := c.s.SelectPerm(t); perm != nil && !c.s.Admin {
		p.permLim = perm.Limit
	}
	if lv, ok := args["limit"]; ok && lv != nil {
		n, _ := strconv.ParseInt(string(lv.(json.Number)), 10, 64)
		if n < 0 {
			return nil, gqlerr.Validation(path+".args.limit", "expected a non-negative 32-bit integer for type 'Int', but found an integer")
		}
		p.limit = strconv.FormatInt(n, 10)
	}
	if ov, ok := args["offset"]; ok && ov != nil {
		n, err := strconv.ParseInt(strings.TrimSpace(jsonString(ov)), 10, 64)
		if err != nil || n < 0 {
			return nil, gqlerr.Validation(path+".args.offset", "expected a non-negative integer for type 'Int'")
		}
		p.offset = strconv.FormatInt(n, 10)
	}
	return p, nil
}

func jsonString(v any) string {
	switch x := v.(type) {
	case json.Number:
		return x.String()
	case string:
		return x
	}
	return ""
}

func minLimit(user string, perm *int) string {
	if perm == nil {
		return user
	}
	if user == "" {
		return strconv.Itoa(*perm)
	}
	n, _ := strconv.Atoi(user)
	if *perm < n {
		return strconv.Itoa(*perm)
	}
	return user
}

// source renders FROM ... WHERE ..., with DISTINCT ON emulated on SQLite.
func (c *compiler) source(p *selectParts) (distinctPrefix, from string) {
	if len(p.distinct) == 0 {
		return "", p.from + " WHERE " + p.where
	}
	var cols []string
	for _, col := range p.distinct {
		cols = append(cols, p.alias+"."+quote(col.Name))
	}
	if c.d == Postgres {
		return "DISTINCT ON (" + strings.Join(cols, ", ") + ") ", p.from + " WHERE " + p.where
	}
	over := "PARTITION BY " + strings.Join(cols, ", ")
	if ob := orderSQL(p.order); ob != "" {
		over += " ORDER BY " + ob
	}
	inner := "SELECT " + p.alias + ".*, row_number() OVER (" + over + ") AS __dn FROM " + p.from + " WHERE " + p.where
	return "", "(" + inner + ") AS " + p.alias + " WHERE " + p.alias + ".__dn = 1"
}

func (c *compiler) tail(p *selectParts, limit string) string {
	var sb strings.Builder
	if ob := orderSQL(p.order); ob != "" {
		sb.WriteString(" ORDER BY " + ob)
	}
	if limit != "" {
		sb.WriteString(" LIMIT " + limit)
	} else if p.offset != "" && c.d == SQLite {
		sb.WriteString(" LIMIT -1")
	}
	if p.offset != "" {
		sb.WriteString(" OFFSET " + p.offset)
	}
	return sb.String()
}

// listQuery selects a JSON array of rows.
func (c *compiler) listQuery(t *model.Table, sel ast.SelectionSet, args map[string]any, join func(string) string, path string) (string, *gqlerr.Error) {
	p, err := c.selectBase(t, args, join, path)
	if err != nil {
		return "", err
	}
	row, err := c.rowJSON(t, p.alias, sel, path, t.GQLName)
	if err != nil {
		return "", err
	}
	dp, from := c.source(p)
	// Limit first, then build JSON only for the rows kept: the outer query
	// reuses the table alias, so the row expressions apply unchanged.
	cols := c.neededColumns(t, p.alias)
	var aggOrder []string
	for i, o := range p.order {
		n := "__o" + strconv.Itoa(i)
		cols = append(cols, o.expr+" AS "+n)
		aggOrder = append(aggOrder, p.alias+"."+n+" "+o.dir)
	}
	inner := "SELECT " + dp + strings.Join(cols, ", ") + " FROM " + from + c.tail(p, minLimit(p.limit, p.permLim))
	return "SELECT " + c.jsonAgg(row, strings.Join(aggOrder, ", "), "") + " FROM (" + inner + ") AS " + p.alias, nil
}

// rowJSON builds the JSON object of one row of t for a selection set.
func (c *compiler) rowJSON(t *model.Table, alias string, sel ast.SelectionSet, path, typeName string) (string, *gqlerr.Error) {
	def := c.sch.Types[typeName]
	fields, err := c.collect(sel, typeName)
	if err != nil {
		return "", err
	}
	var keys, exprs []string
	for _, f := range fields {
		fp := path + ".selectionSet." + f.Name
		keys = append(keys, f.Alias)
		if f.Name == "__typename" {
			exprs = append(exprs, lit(typeName))
			continue
		}
		fd := def.Fields.ForName(f.Name)
		if fd == nil {
			return "", gqlerr.Validation(fp, "field '%s' not found in type: '%s'", f.Name, typeName)
		}
		args, err := c.fieldArgs(fd, f, fp)
		if err != nil {
			return "", err
		}
		if col := t.ColumnByGQL(f.Name); col != nil {
			if len(f.SelectionSet) > 0 {
				return "", gqlerr.Validation(fp, "unexpected subselection set for non-object field")
			}
			e := c.colOut(alias, col)
			if pv, ok := args["path"]; ok && pv != nil {
				e = c.jsonPath(alias, col, jsonString(pv))
			}
			exprs = append(exprs, e)
			continue
		}
		if len(f.SelectionSet) == 0 {
			return "", gqlerr.Validation(fp, "missing selection set for '%s'", f.Name)
		}
		var q string
		if rel := t.Relationship(f.Name); rel != nil {
			join := func(r string) string { return c.joinCond(alias, rel, r) }
			if !rel.IsArray {
				r := c.newAlias()
				pf, err := c.selectFilter(rel.Target, r)
				if err != nil {
					return "", err
				}
				row, err := c.rowJSON(rel.Target, r, f.SelectionSet, fp, rel.Target.GQLName)
				if err != nil {
					return "", err
				}
				q = "SELECT " + row + " FROM " + c.table(rel.Target) + " AS " + r + " WHERE " + and(join(r), pf) + " LIMIT 1"
			} else {
				q, err = c.listQuery(rel.Target, f.SelectionSet, args, join, fp)
			}
		} else if name, ok := strings.CutSuffix(f.Name, "_aggregate"); ok && t.Relationship(name) != nil {
			rel := t.Relationship(name)
			q, err = c.aggregateQuery(rel.Target, f.SelectionSet, args, func(r string) string { return c.joinCond(alias, rel, r) }, fp)
		} else {
			return "", gqlerr.Validation(fp, "field '%s' not found in type: '%s'", f.Name, typeName)
		}
		if err != nil {
			return "", err
		}
		exprs = append(exprs, c.sub(q))
	}
	return c.jsonObject(keys, exprs), nil
}

func (c *compiler) jsonPath(alias string, col *model.Column, p string) string {
	p = strings.TrimPrefix(strings.TrimPrefix(p, "$"), ".")
	var parts []any
	for _, seg := range strings.FieldsFunc(p, func(r rune) bool { return r == '.' || r == '[' || r == ']' }) {
		parts = append(parts, strings.Trim(seg, `"'`))
	}
	ref := c.colRef(alias, col.Name)
	if c.d == Postgres {
		return ref + " #> " + c.paramTyped(parts, "text[]")
	}
	jp := "$"
	for _, s := range parts {
		str := s.(string)
		if _, err := strconv.Atoi(str); err == nil {
			jp += "[" + str + "]"
		} else {
			jp += "." + quote(str)
		}
	}
	return "json(" + ref + " -> " + c.paramTyped(jp, "text") + ")"
}
