package sqlgen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/model"
)

// entries lists the keys and values of a GraphQL object (*Obj, in order) or
// a YAML mapping (map[string]any, sorted).
func entries(v any) ([]string, []any, bool) {
	switch x := v.(type) {
	case *Obj:
		return x.Keys, x.Vals, true
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		vals := make([]any, len(keys))
		for i, k := range keys {
			vals[i] = x[k]
		}
		return keys, vals, true
	}
	return nil, nil, false
}

// boolExp compiles a boolean expression on table t (aliased alias). With
// perm set it is a permission filter from metadata: database column names,
// $-aliases, shorthand equality, session variables and _exists.
func (c *compiler) boolExp(t *model.Table, alias string, e any, perm bool, path string) (string, *gqlerr.Error) {
	if e == nil {
		return c.boolLit(true), nil
	}
	keys, vals, ok := entries(e)
	if !ok {
		return "", gqlerr.Validation(path, "expected an object for type '%s_bool_exp'", t.GQLName)
	}
	var parts []string
	for i, k := range keys {
		v := vals[i]
		p := path + "." + k
		if perm && strings.HasPrefix(k, "$") {
			k = "_" + k[1:]
		}
		var s string
		var err *gqlerr.Error
		switch k {
		case "_and", "_or":
			list, isList := v.([]any)
			if !isList {
				list = []any{v}
			}
			var subs []string
			for j, el := range list {
				x, err := c.boolExp(t, alias, el, perm, fmt.Sprintf("%s[%d]", p, j))
				if err != nil {
					return "", err
				}
				subs = append(subs, x)
			}
			switch {
			case len(subs) == 0:
				s = c.boolLit(k == "_and")
			case k == "_and":
				s = "(" + strings.Join(subs, " AND ") + ")"
			default:
				s = "(" + strings.Join(subs, " OR ") + ")"
			}
		case "_not":
			x, err := c.boolExp(t, alias, v, perm, p)
			if err != nil {
				return "", err
			}
			s = "(NOT " + x + ")"
		case "_exists":
			s, err = c.existsExp(v, perm, p)
		default:
			s, err = c.fieldExp(t, alias, k, v, perm, p)
		}
		if err != nil {
			return "", err
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return c.boolLit(true), nil
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return "(" + strings.Join(parts, " AND ") + ")", nil
}

func (c *compiler) existsExp(v any, perm bool, path string) (string, *gqlerr.Error) {
	keys, vals, _ := entries(v)
	var tbl, where any
	for i, k := range keys {
		switch "_" + strings.TrimLeft(k, "$_") {
		case "_table":
			tbl = vals[i]
		case "_where":
			where = vals[i]
		}
	}
	schemaName, name := "public", ""
	switch x := tbl.(type) {
	case string:
		name = x
	default:
		tk, tv, _ := entries(x)
		for i, k := range tk {
			if k == "schema" {
				schemaName = fmt.Sprint(tv[i])
			}
			if k == "name" {
				name = fmt.Sprint(tv[i])
			}
		}
	}
	target := c.s.Model().Table(schemaName, name)
	if target == nil {
		return "", gqlerr.Validation(path, "table %q does not exist", schemaName+"."+name)
	}
	a := c.newAlias()
	w, err := c.boolExp(target, a, where, perm, path+"._where")
	if err != nil {
		return "", err
	}
	return "EXISTS (SELECT 1 FROM " + c.table(target) + " AS " + a + " WHERE " + w + ")", nil
}

func (c *compiler) fieldExp(t *model.Table, alias, key string, v any, perm bool, path string) (string, *gqlerr.Error) {
	var col *model.Column
	if perm {
		col = t.Column(key)
	} else {
		col = t.ColumnByGQL(key)
	}
	if col != nil {
		return c.compareExp(t, alias, col, v, perm, path)
	}
	if rel := t.Relationship(key); rel != nil {
		return c.relExists(t, alias, rel, v, perm, path)
	}
	if !perm {
		if name, ok := strings.CutSuffix(key, "_aggregate"); ok {
			if rel := t.Relationship(name); rel != nil && rel.IsArray {
				return c.aggBoolExp(alias, rel, v, path)
			}
		}
	}
	return "", gqlerr.Validation(path, "field '%s' not found in type: '%s_bool_exp'", key, t.GQLName)
}

func (c *compiler) joinCond(alias string, rel *model.Relationship, target string) string {
	var conds []string
	for _, m := range rel.Mapping {
		conds = append(conds, c.colRef(alias, m[0].Name)+" = "+target+"."+quote(m[1].Name))
	}
	if len(conds) == 0 {
		return c.boolLit(true)
	}
	return strings.Join(conds, " AND ")
}

// selectFilter is the role's select permission filter on t for alias.
func (c *compiler) selectFilter(t *model.Table, alias string) (string, *gqlerr.Error) {
	if c.s.Admin {
		return "", nil
	}
	p := c.s.SelectPerm(t)
	if p == nil {
		return c.boolLit(false), nil
	}
	if p.Filter == nil {
		return "", nil
	}
	if keys, _, _ := entries(p.Filter); len(keys) == 0 {
		return "", nil
	}
	return c.permExp(t, alias, p.Filter)
}

// permExp compiles a permission boolean expression rooted at t/alias; the
// root is what ["$", col] column comparisons refer to.
func (c *compiler) permExp(t *model.Table, alias string, e any) (string, *gqlerr.Error) {
	prevT, prevA := c.rootTable, c.rootAlias
	c.rootTable, c.rootAlias = t, alias
	defer func() { c.rootTable, c.rootAlias = prevT, prevA }()
	return c.boolExp(t, alias, e, true, "$")
}

func and(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return "(1=1)"
	}
	return strings.Join(out, " AND ")
}

func (c *compiler) relExists(t *model.Table, alias string, rel *model.Relationship, v any, perm bool, path string) (string, *gqlerr.Error) {
	a := c.newAlias()
	var pf string
	if !perm {
		var err *gqlerr.Error
		if pf, err = c.selectFilter(rel.Target, a); err != nil {
			return "", err
		}
	}
	w, err := c.boolExp(rel.Target, a, v, perm, path)
	if err != nil {
		return "", err
	}
	return "EXISTS (SELECT 1 FROM " + c.table(rel.Target) + " AS " + a + " WHERE " + and(c.joinCond(alias, rel, a), pf, w) + ")", nil
}

func (c *compiler) aggBoolExp(alias string, rel *model.Relationship, v any, path string) (string, *gqlerr.Error) {
	o, _ := v.(*Obj)
	cv, ok := o.Get("count")
	if !ok {
		return c.boolLit(true), nil
	}
	co, _ := cv.(*Obj)
	a := c.newAlias()
	pf, err := c.selectFilter(rel.Target, a)
	if err != nil {
		return "", err
	}
	conds := []string{c.joinCond(alias, rel, a), pf}
	if f, ok := co.Get("filter"); ok && f != nil {
		w, err := c.boolExp(rel.Target, a, f, false, path+".count.filter")
		if err != nil {
			return "", err
		}
		conds = append(conds, w)
	}
	count := "count(*)"
	if args, ok := co.Get("arguments"); ok && args != nil {
		if list, _ := args.([]any); len(list) == 1 {
			col := rel.Target.ColumnByGQL(fmt.Sprint(list[0]))
			count = "count(" + a + "." + quote(col.Name) + ")"
			if d, _ := co.Get("distinct"); d == true {
				count = "count(DISTINCT " + a + "." + quote(col.Name) + ")"
			}
		}
	}
	expr := "(SELECT " + count + " FROM " + c.table(rel.Target) + " AS " + a + " WHERE " + and(conds...) + ")"
	pred, _ := co.Get("predicate")
	intCol := &model.Column{Name: "count", Type: "int4", Scalar: "Int"}
	return c.compareOps(expr, intCol, pred, false, path+".count.predicate")
}
