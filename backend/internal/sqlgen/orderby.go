package sqlgen

import (
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/model"
)

type orderItem struct {
	expr string
	dir  string
	col  *model.Column // set for a plain column of the table itself
}

var orderDirs = map[string]string{
	"asc": "ASC NULLS LAST", "asc_nulls_first": "ASC NULLS FIRST", "asc_nulls_last": "ASC NULLS LAST",
	"desc": "DESC NULLS FIRST", "desc_nulls_first": "DESC NULLS FIRST", "desc_nulls_last": "DESC NULLS LAST",
}

func orderSQL(items []orderItem) string {
	var parts []string
	for _, o := range items {
		parts = append(parts, o.expr+" "+o.dir)
	}
	return strings.Join(parts, ", ")
}

// orderBy compiles an order_by argument (a list of objects) on alias.
func (c *compiler) orderBy(t *model.Table, alias string, v any, path string) ([]orderItem, *gqlerr.Error) {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var out []orderItem
	for _, el := range list {
		if el == nil {
			continue
		}
		items, err := c.orderObj(t, alias, el.(*Obj), path)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

func (c *compiler) orderObj(t *model.Table, alias string, o *Obj, path string) ([]orderItem, *gqlerr.Error) {
	var out []orderItem
	for i, k := range o.Keys {
		v := o.Vals[i]
		if v == nil {
			continue
		}
		if col := t.ColumnByGQL(k); col != nil {
			out = append(out, orderItem{expr: alias + "." + quote(col.Name), dir: orderDirs[v.(string)], col: col})
			continue
		}
		if rel := t.Relationship(k); rel != nil && !rel.IsArray {
			r := c.newAlias()
			sub, err := c.orderObj(rel.Target, r, v.(*Obj), path+"."+k)
			if err != nil {
				return nil, err
			}
			pf, err := c.selectFilter(rel.Target, r)
			if err != nil {
				return nil, err
			}
			for _, s := range sub {
				out = append(out, orderItem{expr: "(SELECT " + s.expr + " FROM " + c.table(rel.Target) + " AS " + r +
					" WHERE " + and(c.joinCond(alias, rel, r), pf) + " LIMIT 1)", dir: s.dir})
			}
			continue
		}
		if name, ok := strings.CutSuffix(k, "_aggregate"); ok {
			if rel := t.Relationship(name); rel != nil && rel.IsArray {
				items, err := c.aggOrder(alias, rel, v.(*Obj))
				if err != nil {
					return nil, err
				}
				out = append(out, items...)
				continue
			}
		}
		return nil, gqlerr.Validation(path+"."+k, "field '%s' not found in type: '%s_order_by'", k, t.GQLName)
	}
	return out, nil
}

func (c *compiler) aggOrder(alias string, rel *model.Relationship, o *Obj) ([]orderItem, *gqlerr.Error) {
	var out []orderItem
	for i, op := range o.Keys {
		v := o.Vals[i]
		if v == nil {
			continue
		}
		mk := func(agg string) (string, *gqlerr.Error) {
			r := c.newAlias()
			pf, err := c.selectFilter(rel.Target, r)
			if err != nil {
				return "", err
			}
			return "(SELECT " + strings.ReplaceAll(agg, "{a}", r) + " FROM " + c.table(rel.Target) + " AS " + r +
				" WHERE " + and(c.joinCond(alias, rel, r), pf) + ")", nil
		}
		if op == "count" {
			e, err := mk("count(*)")
			if err != nil {
				return nil, err
			}
			out = append(out, orderItem{expr: e, dir: orderDirs[v.(string)]})
			continue
		}
		cols, _ := v.(*Obj)
		for j, cn := range cols.Keys {
			if cols.Vals[j] == nil {
				continue
			}
			col := rel.Target.ColumnByGQL(cn)
			e, err := mk(c.aggColumn(op, "{a}."+quote(col.Name), col))
			if err != nil {
				return nil, err
			}
			out = append(out, orderItem{expr: e, dir: orderDirs[cols.Vals[j].(string)]})
		}
	}
	return out, nil
}

// aggExpr is the SQL of an aggregate operation over expression x.
func (c *compiler) aggExpr(op, x string) string {
	if c.d == Postgres {
		return op + "(" + x + ")"
	}
	f := "(" + x + " * 1.0)"
	varSamp := "((sum(" + f + " * " + f + ") - sum(" + f + ") * sum(" + f + ") / count(" + x + ")) / nullif(count(" + x + ") - 1, 0))"
	varPop := "((sum(" + f + " * " + f + ") - sum(" + f + ") * sum(" + f + ") / count(" + x + ")) / nullif(count(" + x + "), 0))"
	switch op {
	case "variance", "var_samp":
		return varSamp
	case "var_pop":
		return varPop
	case "stddev", "stddev_samp":
		return "sqrt(" + varSamp + ")"
	case "stddev_pop":
		return "sqrt(" + varPop + ")"
	}
	return op + "(" + x + ")"
}
