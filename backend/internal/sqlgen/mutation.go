package sqlgen

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/model"
	"github.com/notes-app/notes/backend/internal/schema"
	"github.com/vektah/gqlparser/v2/ast"
)

// output describes how a mutation field's answer is assembled from the
// affected rows: either a <t>_mutation_response object or one row.
type output struct {
	single bool
	keys   []string
	kinds  []string // "affected_rows", "returning", "__typename"
	rets   []int    // index into the row expressions, for returning
	exprs  []string // row JSON expressions over the row alias
	tname  string
}

// stmt is one DML statement with the shape of its result rows.
type part struct {
	sql  string
	args []any
}

type stmt struct {
	sql  string
	args []any
	// SQLite: DML statements returning rowids, then read back per row.
	multi        []part
	noop         bool
	readBack     string
	readBackArgs []any
	deleteFirst  bool
	table        string
}

func (c *compiler) mutationRoot(rf schema.RootField, f *ast.Field, fd *ast.FieldDefinition, args map[string]any, path string) (func(context.Context, Querier, map[string]string) (json.RawMessage, error), *gqlerr.Error) {
	t := rf.Table
	switch rf.Kind {
	case schema.Insert, schema.InsertOne:
		return c.insert(t, rf.Kind == schema.InsertOne, f, args, path)
	case schema.Update, schema.UpdateByPK:
		where := args["where"]
		if rf.Kind == schema.UpdateByPK {
			where = c.pkWhere(t, args["pk_columns"].(*Obj))
		}
		st, out, err := c.update(t, f, args, where, rf.Kind == schema.UpdateByPK, path)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, q Querier, session map[string]string) (json.RawMessage, error) {
			return c.runStmt(ctx, q, session, st, out, "$")
		}, nil
	case schema.UpdateMany:
		list, _ := args["updates"].([]any)
		var sts []*stmt
		var outs []*output
		for i, u := range list {
			uo := u.(*Obj)
			ua := map[string]any{}
			for j, k := range uo.Keys {
				ua[k] = uo.Vals[j]
			}
			st, out, err := c.update(t, f, ua, ua["where"], false, path+".args.updates["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			sts, outs = append(sts, st), append(outs, out)
		}
		if len(list) == 0 {
			if _, err := c.output(t, f, false, "", path); err != nil {
				return nil, err
			}
		}
		return func(ctx context.Context, q Querier, session map[string]string) (json.RawMessage, error) {
			parts := []string{}
			for i, st := range sts {
				r, err := c.runStmt(ctx, q, session, st, outs[i], "$")
				if err != nil {
					return nil, err
				}
				parts = append(parts, string(r))
			}
			return json.RawMessage("[" + strings.Join(parts, ",") + "]"), nil
		}, nil
	case schema.Delete, schema.DeleteByPK:
		where := args["where"]
		if rf.Kind == schema.DeleteByPK {
			o := &Obj{}
			for _, col := range t.PrimaryKey {
				o.Set(col.GQLName, args[col.GQLName])
			}
			where = c.pkWhere(t, o)
		}
		st, out, err := c.delete(t, f, where, rf.Kind == schema.DeleteByPK, path)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, q Querier, session map[string]string) (json.RawMessage, error) {
			return c.runStmt(ctx, q, session, st, out, "$")
		}, nil
	}
	return nil, gqlerr.Validation(path, "field '%s' not found in type: 'mutation_root'", f.Name)
}

func (c *compiler) pkWhere(t *model.Table, pk *Obj) *Obj {
	w := &Obj{}
	for i, k := range pk.Keys {
		w.Set(k, &Obj{Keys: []string{"_eq"}, Vals: []any{pk.Vals[i]}})
	}
	return w
}

// output compiles the selection of a mutation field over row alias a.
func (c *compiler) output(t *model.Table, f *ast.Field, single bool, a, path string) (*output, *gqlerr.Error) {
	out := &output{single: single}
	if single {
		row, err := c.rowJSON(t, a, f.SelectionSet, path, t.GQLName)
		if err != nil {
			return nil, err
		}
		out.exprs = []string{row}
		return out, nil
	}
	out.tname = t.GQLName + "_mutation_response"
	def := c.sch.Types[out.tname]
	fields, err := c.collect(f.SelectionSet, out.tname)
	if err != nil {
		return nil, err
	}
	for _, g := range fields {
		fp := path + ".selectionSet." + g.Name
		if g.Name != "__typename" && def.Fields.ForName(g.Name) == nil {
			return nil, gqlerr.Validation(fp, "field '%s' not found in type: '%s'", g.Name, out.tname)
		}
		out.keys = append(out.keys, g.Alias)
		out.kinds = append(out.kinds, g.Name)
		out.rets = append(out.rets, len(out.exprs))
		if g.Name == "returning" {
			if len(g.SelectionSet) == 0 {
				return nil, gqlerr.Validation(fp, "missing selection set for 'returning'")
			}
			row, err := c.rowJSON(t, a, g.SelectionSet, fp, t.GQLName)
			if err != nil {
				return nil, err
			}
			out.exprs = append(out.exprs, row)
		}
	}
	return out, nil
}

// assemble builds the field's JSON from the affected rows' expressions.
func (o *output) assemble(rows [][]string) json.RawMessage {
	return o.assembleN(rows, len(rows))
}

// assembleN is assemble with affected_rows given (nested inserts count
// every row they insert).
func (o *output) assembleN(rows [][]string, affected int) json.RawMessage {
	if o.single {
		if len(rows) == 0 {
			return json.RawMessage("null")
		}
		return json.RawMessage(rows[0][0])
	}
	var sb strings.Builder
	sb.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			sb.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		sb.Write(kb)
		sb.WriteByte(':')
		switch o.kinds[i] {
		case "affected_rows":
			sb.WriteString(strconv.Itoa(affected))
		case "__typename":
			tb, _ := json.Marshal(o.tname)
			sb.Write(tb)
		case "returning":
			sb.WriteByte('[')
			for j, r := range rows {
				if j > 0 {
					sb.WriteByte(',')
				}
				sb.WriteString(r[o.rets[i]])
			}
			sb.WriteByte(']')
		}
	}
	sb.WriteByte('}')
	return json.RawMessage(sb.String())
}

// selectList renders "check, expr..." for the read-back of affected rows.
func selectList(check string, exprs []string) string {
	if check == "" {
		check = "1"
	} else {
		check = "CASE WHEN " + check + " THEN 1 ELSE 0 END"
	}
	return strings.Join(append([]string{check}, exprs...), ", ")
}

func (c *compiler) takeArgs() []any {
	a := c.args
	c.args = nil
	return a
}
