package sqlgen

import (
	"strconv"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/model"
	"github.com/vektah/gqlparser/v2/ast"
)

// aggregateQuery selects a <t>_aggregate object. The permission limit caps
// nodes only; the user's limit and offset apply to both.
func (c *compiler) aggregateQuery(t *model.Table, sel ast.SelectionSet, args map[string]any, join func(string) string, path string) (string, *gqlerr.Error) {
	p, err := c.selectBase(t, args, join, path)
	if err != nil {
		return "", err
	}
	typeName := t.GQLName + "_aggregate"
	fields, err := c.collect(sel, typeName)
	if err != nil {
		return "", err
	}
	def := c.sch.Types[typeName]
	var inner []string // order and row-number columns; the table's come last
	var aggOrder []string
	for i, o := range p.order {
		n := "__o" + strconv.Itoa(i)
		inner = append(inner, o.expr+" AS "+n)
		aggOrder = append(aggOrder, p.alias+"."+n+" "+o.dir)
	}
	rnFilter := ""
	if p.permLim != nil {
		over := ""
		if ob := orderSQL(p.order); ob != "" {
			over = "ORDER BY " + ob
		}
		inner = append(inner, "row_number() OVER ("+over+") AS __rn")
		rnFilter = p.alias + ".__rn <= " + strconv.Itoa(*p.permLim)
	}
	var keys, exprs []string
	for _, f := range fields {
		fp := path + ".selectionSet." + f.Name
		keys = append(keys, f.Alias)
		switch f.Name {
		case "__typename":
			exprs = append(exprs, lit(typeName))
		case "nodes":
			row, err := c.rowJSON(t, p.alias, f.SelectionSet, fp, t.GQLName)
			if err != nil {
				return "", err
			}
			exprs = append(exprs, c.jsonAgg(row, strings.Join(aggOrder, ", "), rnFilter))
		case "aggregate":
			e, err := c.aggregateFields(t, p.alias, f.SelectionSet, fp)
			if err != nil {
				return "", err
			}
			exprs = append(exprs, e)
		default:
			if def.Fields.ForName(f.Name) == nil {
				return "", gqlerr.Validation(fp, "field '%s' not found in type: '%s'", f.Name, typeName)
			}
		}
	}
	dp, from := c.source(p)
	inner = append(c.neededColumns(t, p.alias), inner...)
	q := "SELECT " + dp + strings.Join(inner, ", ") + " FROM " + from + c.tail(p, p.limit)
	return "SELECT " + c.jsonObject(keys, exprs) + " FROM (" + q + ") AS " + p.alias, nil
}

func (c *compiler) aggregateFields(t *model.Table, alias string, sel ast.SelectionSet, path string) (string, *gqlerr.Error) {
	typeName := t.GQLName + "_aggregate_fields"
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
		if f.Name == "count" {
			exprs = append(exprs, c.countExpr(t, alias, args))
			continue
		}
		opType := fd.Type.Name()
		opDef := c.sch.Types[opType]
		sub, err := c.collect(f.SelectionSet, opType)
		if err != nil {
			return "", err
		}
		if len(f.SelectionSet) == 0 {
			return "", gqlerr.Validation(fp, "missing selection set for '%s'", f.Name)
		}
		var sk, se []string
		for _, g := range sub {
			sk = append(sk, g.Alias)
			if g.Name == "__typename" {
				se = append(se, lit(opType))
				continue
			}
			if opDef.Fields.ForName(g.Name) == nil {
				return "", gqlerr.Validation(fp+".selectionSet."+g.Name, "field '%s' not found in type: '%s'", g.Name, opType)
			}
			col := t.ColumnByGQL(g.Name)
			e := c.aggColumn(f.Name, c.colRef(alias, col.Name), col)
			if c.d == Postgres && c.stringify && stringified(col) {
				e += "::text"
			}
			se = append(se, e)
		}
		exprs = append(exprs, c.jsonObject(sk, se))
	}
	return c.jsonObject(keys, exprs), nil
}

func (c *compiler) countExpr(t *model.Table, alias string, args map[string]any) string {
	list, _ := args["columns"].([]any)
	distinct, _ := args["distinct"].(bool)
	if len(list) == 0 {
		return "count(*)"
	}
	var cols []string
	for _, n := range list {
		cols = append(cols, c.colRef(alias, t.ColumnByGQL(n.(string)).Name))
	}
	d := ""
	if distinct {
		d = "DISTINCT "
	}
	if len(cols) == 1 {
		return "count(" + d + cols[0] + ")"
	}
	if c.d == Postgres {
		return "count(" + d + "(" + strings.Join(cols, ", ") + "))"
	}
	var conds []string
	for _, col := range cols {
		conds = append(conds, col+" IS NOT NULL")
	}
	if distinct {
		return "count(DISTINCT json_array(" + strings.Join(cols, ", ") + "))"
	}
	return "sum(CASE WHEN " + strings.Join(conds, " AND ") + " THEN 1 ELSE 0 END)"
}

// aggColumn is an aggregate over a column. Postgres has no max/min for
// uuid, which Hasura nevertheless offers; they go through text.
func (c *compiler) aggColumn(op, ref string, col *model.Column) string {
	if c.d == Postgres && col.Type == "uuid" && (op == "max" || op == "min") {
		return op + "(" + ref + "::text)::uuid"
	}
	return c.aggExpr(op, ref)
}
