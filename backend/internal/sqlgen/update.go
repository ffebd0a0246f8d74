package sqlgen

import (
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/model"
	"github.com/vektah/gqlparser/v2/ast"
)

// updateOps are the update operators in the order Hasura applies them.
var updateOps = []string{"_set", "_inc", "_append", "_prepend", "_delete_key", "_delete_elem", "_delete_at_path"}

func (c *compiler) setClauses(t *model.Table, args map[string]any, path string) ([]string, *gqlerr.Error) {
	seen := map[string]string{}
	var dup []string
	var sets []string
	for _, op := range updateOps {
		o, ok := args[op].(*Obj)
		if !ok {
			continue
		}
		for i, k := range o.Keys {
			col := t.ColumnByGQL(k)
			if col == nil {
				continue
			}
			if prev, ok := seen[col.Name]; ok && prev != op {
				dup = append(dup, "'"+col.GQLName+"'")
			}
			seen[col.Name] = op
			v := o.Vals[i]
			ref := quote(col.Name)
			var e string
			switch op {
			case "_set":
				e = c.param(v, col)
			case "_inc":
				e = ref + " + " + c.param(v, col)
			default:
				if c.d == SQLite {
					e = c.sqliteJSONBOp(op, ref, v, col)
					break
				}
				switch op {
				case "_append":
					e = ref + " || " + c.param(v, col)
				case "_prepend":
					e = c.param(v, col) + " || " + ref
				case "_delete_key":
					e = ref + " - " + c.paramTyped(v, "text")
				case "_delete_elem":
					e = ref + " - " + c.paramTyped(v, "int4")
				case "_delete_at_path":
					e = ref + " #- " + c.paramTyped(v, "text[]")
				}
			}
			sets = append(sets, ref+" = "+e)
		}
	}
	if len(dup) > 0 {
		return nil, gqlerr.Validation(path+".args", "Column found in multiple operators: [%s].", strings.Join(dup, ", "))
	}
	return sets, nil
}

func (c *compiler) update(t *model.Table, f *ast.Field, args map[string]any, where any, single bool, path string) (*stmt, *output, *gqlerr.Error) {
	perm := c.s.UpdatePerm(t)
	r := c.newAlias()
	if c.d == SQLite {
		r = c.table(t) // RETURNING names the updated row by the table's name
	}
	out, err := c.output(t, f, single, r, path)
	if err != nil {
		return nil, nil, err
	}
	check, err := c.permCheck(t, r, perm.Check)
	if err != nil {
		return nil, nil, err
	}
	sets, err := c.setClauses(t, args, path)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range perm.Set {
		pv, err := c.presetValue(v)
		if err != nil {
			return nil, nil, err
		}
		col := t.Column(k)
		sets = append(sets, quote(col.Name)+" = "+c.param(pv, col))
	}
	a := c.newAlias()
	filter, err := c.permCheck(t, a, perm.Filter)
	if err != nil {
		return nil, nil, err
	}
	w, err := c.boolExp(t, a, where, false, path+".args.where")
	if err != nil {
		return nil, nil, err
	}
	cond := and(filter, w)
	st := &stmt{}
	if len(sets) == 0 {
		st.noop = true
		c.takeArgs()
		return st, out, nil
	}
	if c.d == Postgres {
		st.sql = "WITH _m AS (UPDATE " + c.table(t) + " AS " + a + " SET " + strings.Join(sets, ", ") + " WHERE " + cond +
			" RETURNING " + a + ".*) SELECT " + selectList(check, out.exprs) + " FROM _m AS " + r
		st.args = c.takeArgs()
		return st, out, nil
	}
	q := "UPDATE " + c.table(t) + " SET " + strings.Join(sets, ", ") + " WHERE rowid IN (SELECT " + a + ".rowid FROM " + c.table(t) + " AS " + a + " WHERE " + cond + ") RETURNING " + selectList(check, out.exprs)
	st.multi = []part{{sql: q, args: c.takeArgs()}}
	return st, out, nil
}

func (c *compiler) delete(t *model.Table, f *ast.Field, where any, single bool, path string) (*stmt, *output, *gqlerr.Error) {
	perm := c.s.DeletePerm(t)
	r := c.newAlias()
	out, err := c.output(t, f, single, r, path)
	if err != nil {
		return nil, nil, err
	}
	a := r
	if c.d == Postgres {
		a = c.newAlias()
	}
	filter, err := c.permCheck(t, a, perm.Filter)
	if err != nil {
		return nil, nil, err
	}
	w, err := c.boolExp(t, a, where, false, path+".args.where")
	if err != nil {
		return nil, nil, err
	}
	cond := and(filter, w)
	st := &stmt{}
	if c.d == Postgres {
		st.sql = "WITH _m AS (DELETE FROM " + c.table(t) + " AS " + a + " WHERE " + cond + " RETURNING " + a + ".*) SELECT " +
			selectList("", out.exprs) + " FROM _m AS " + r
		st.args = c.takeArgs()
		return st, out, nil
	}
	st.deleteFirst = true
	st.table = c.table(t)
	st.readBack = "SELECT " + r + ".rowid, " + selectList("", out.exprs) + " FROM " + c.table(t) + " AS " + r + " WHERE " + cond
	st.readBackArgs = c.takeArgs()
	st.readBack += ""
	return st, out, nil
}

// sqliteJSONBOp is a jsonb update operator through the Go functions of
// package sqlitefn, with Postgres semantics.
func (c *compiler) sqliteJSONBOp(op, ref string, v any, col *model.Column) string {
	switch op {
	case "_append":
		return "notes_jsonb_concat(" + ref + ", " + c.param(v, col) + ")"
	case "_prepend":
		return "notes_jsonb_concat(" + c.param(v, col) + ", " + ref + ")"
	case "_delete_key":
		return "notes_jsonb_delete_key(" + ref + ", " + c.paramTyped(v, "text") + ")"
	case "_delete_elem":
		return "notes_jsonb_delete_elem(" + ref + ", " + c.paramTyped(v, "int4") + ")"
	}
	return "notes_jsonb_delete_path(" + ref + ", " + c.paramTyped(v, "jsonb") + ")"
}
