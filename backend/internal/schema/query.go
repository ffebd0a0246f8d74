package schema

import (
	"fmt"
	"sort"

	"github.com/notes-app/notes/backend/internal/model"
	"github.com/vektah/gqlparser/v2/ast"
)

func q(s string) string { return `"` + s + `"` }

func rootDesc(rf model.RootField, def string) string {
	if rf.Comment != "" {
		return rf.Comment
	}
	return def
}

func (b *builder) queryFields(t *model.Table, query, sub *ast.Definition) {
	p := b.s.SelectPerm(t)
	if p == nil {
		return
	}
	inQuery := func(k string) bool { return p.QueryRootFields == nil || p.QueryRootFields[k] }
	inSub := func(k string) bool { return p.SubscriptionRootFields == nil || p.SubscriptionRootFields[k] }
	add := func(key string, kind RootKind, f *ast.FieldDefinition) {
		if inQuery(key) {
			query.Fields = append(query.Fields, f)
			b.s.Query[f.Name] = RootField{kind, t}
		}
		if inSub(key) {
			sub.Fields = append(sub.Fields, f)
		}
	}
	b.objectType(t)
	if inQuery("select") || inSub("select") {
		rf := t.RootFields["select"]
		add("select", Select, &ast.FieldDefinition{Name: rf.Name, Description: rootDesc(rf, "fetch data from the table: "+q(t.SQLDesc)),
			Arguments: b.selectArgs(t), Type: nonNullList(nonNull(t.GQLName))})
	}
	if (inQuery("select_by_pk") || inSub("select_by_pk")) && b.s.pkSelectable(t) {
		rf := t.RootFields["select_by_pk"]
		add("select_by_pk", SelectByPK, &ast.FieldDefinition{Name: rf.Name, Description: rootDesc(rf, "fetch data from the table: "+q(t.SQLDesc)+" using primary key columns"),
			Arguments: b.pkArgs(t), Type: named(t.GQLName)})
	}
	if (inQuery("select_aggregate") || inSub("select_aggregate")) && p.AllowAggregations {
		rf := t.RootFields["select_aggregate"]
		b.aggregateType(t)
		add("select_aggregate", SelectAggregate, &ast.FieldDefinition{Name: rf.Name, Description: rootDesc(rf, "fetch aggregated fields from the table: "+q(t.SQLDesc)),
			Arguments: b.selectArgs(t), Type: nonNull(t.GQLName + "_aggregate")})
	}
	if inSub("select_stream") && len(b.s.SelectColumns(t)) > 0 {
		rf := t.RootFields["select_stream"]
		b.streamCursor(t)
		b.boolExp(t)
		sub.Fields = append(sub.Fields, &ast.FieldDefinition{Name: rf.Name,
			Description: rootDesc(rf, "fetch data from the table in a streaming manner: "+q(t.SQLDesc)),
			Arguments: ast.ArgumentDefinitionList{
				{Name: "batch_size", Description: "maximum number of rows returned in a single batch", Type: nonNull("Int")},
				{Name: "cursor", Description: "cursor to stream the results returned by the query", Type: nonNullList(named(t.GQLName + "_stream_cursor_input"))},
				{Name: "where", Description: "filter the rows returned", Type: named(t.GQLName + "_bool_exp")},
			},
			Type: nonNullList(nonNull(t.GQLName))})
	}
}

func (b *builder) pkArgs(t *model.Table) ast.ArgumentDefinitionList {
	var args ast.ArgumentDefinitionList
	for _, c := range t.PrimaryKey {
		b.scalar(c.Scalar)
		args = append(args, &ast.ArgumentDefinition{Name: c.GQLName, Type: ast.NonNullNamedType(c.Scalar, nil)})
	}
	return args
}

// selectArgs are distinct_on, limit, offset, order_by, where.
func (b *builder) selectArgs(t *model.Table) ast.ArgumentDefinitionList {
	var args ast.ArgumentDefinitionList
	if len(b.s.SelectColumns(t)) > 0 {
		b.selectColumnEnum(t)
		args = append(args, &ast.ArgumentDefinition{Name: "distinct_on", Description: "distinct select on columns", Type: listOf(nonNull(t.GQLName + "_select_column"))})
	}
	b.orderBy(t)
	b.boolExp(t)
	args = append(args,
		&ast.ArgumentDefinition{Name: "limit", Description: "limit the number of rows returned", Type: named("Int")},
		&ast.ArgumentDefinition{Name: "offset", Description: "skip the first n rows. Use only with order_by", Type: named("Int")},
		&ast.ArgumentDefinition{Name: "order_by", Description: "sort the rows by one or more columns", Type: listOf(nonNull(t.GQLName + "_order_by"))},
		&ast.ArgumentDefinition{Name: "where", Description: "filter the rows returned", Type: named(t.GQLName + "_bool_exp")},
	)
	return args
}

func (b *builder) selectColumnEnum(t *model.Table) {
	b.ensure(t.GQLName+"_select_column", ast.Enum, "select columns of table "+q(t.SQLDesc), func(d *ast.Definition) {
		for _, c := range b.s.SelectColumns(t) {
			d.EnumValues = append(d.EnumValues, &ast.EnumValueDefinition{Name: c.GQLName, Description: "column name"})
		}
		sortEnum(d)
	})
}

func columnType(c *model.Column) *ast.Type {
	if c.IsArray {
		t := listOf(nonNull(c.Scalar))
		t.NonNull = !c.Nullable
		return t
	}
	if c.Nullable {
		return named(c.Scalar)
	}
	return nonNull(c.Scalar)
}

// objectType generates the table's object type for the role.
func (b *builder) objectType(t *model.Table) {
	b.s.Objects[t.GQLName] = t
	b.ensure(t.GQLName, ast.Object, "columns and relationships of "+q(t.SQLDesc), func(d *ast.Definition) {
		if t.Comment != "" {
			d.Description = t.Comment
		}
		for _, c := range b.s.SelectColumns(t) {
			b.scalar(c.Scalar)
			f := &ast.FieldDefinition{Name: c.GQLName, Type: columnType(c), Description: c.Comment}
			if c.Type == "json" || c.Type == "jsonb" {
				f.Arguments = ast.ArgumentDefinitionList{{Name: "path", Description: "JSON select path", Type: named("String")}}
			}
			d.Fields = append(d.Fields, f)
		}
		for _, r := range t.ObjectRels {
			if b.s.SelectPerm(r.Target) == nil {
				continue
			}
			b.objectType(r.Target)
			typ := named(r.Target.GQLName)
			typ.NonNull = r.NonNull
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: r.Name, Type: typ, Description: relDesc(r, "An object relationship")})
		}
		for _, r := range t.ArrayRels {
			tp := b.s.SelectPerm(r.Target)
			if tp == nil {
				continue
			}
			b.objectType(r.Target)
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: r.Name, Arguments: b.selectArgs(r.Target),
				Type: nonNullList(nonNull(r.Target.GQLName)), Description: relDesc(r, "An array relationship")})
			if tp.AllowAggregations {
				b.aggregateType(r.Target)
				d.Fields = append(d.Fields, &ast.FieldDefinition{Name: r.Name + "_aggregate", Arguments: b.selectArgs(r.Target),
					Type: nonNull(r.Target.GQLName + "_aggregate"), Description: relDesc(r, "An aggregate relationship")})
			}
		}
	})
}

func relDesc(r *model.Relationship, def string) string {
	if r.Comment != "" {
		return r.Comment
	}
	return def
}

// aggOps are the numeric aggregate fields with their type-name suffix and
// description.
var aggOps = []struct{ name, desc string }{
	{"avg", "aggregate avg on columns"},
	{"stddev", "aggregate stddev on columns"},
	{"stddev_pop", "aggregate stddev_pop on columns"},
	{"stddev_samp", "aggregate stddev_samp on columns"},
	{"sum", "aggregate sum on columns"},
	{"var_pop", "aggregate var_pop on columns"},
	{"var_samp", "aggregate var_samp on columns"},
	{"variance", "aggregate variance on columns"},
}

func (b *builder) aggregateType(t *model.Table) {
	b.objectType(t)
	n := t.GQLName
	b.ensure(n+"_aggregate", ast.Object, "aggregated selection of "+q(t.SQLDesc), func(d *ast.Definition) {
		b.aggregateFields(t)
		d.Fields = ast.FieldList{
			{Name: "aggregate", Type: named(n + "_aggregate_fields")},
			{Name: "nodes", Type: nonNullList(nonNull(n))},
		}
	})
}

func (b *builder) aggregateFields(t *model.Table) {
	n := t.GQLName
	cols := b.s.SelectColumns(t)
	b.ensure(n+"_aggregate_fields", ast.Object, "aggregate fields of "+q(t.SQLDesc), func(d *ast.Definition) {
		count := &ast.FieldDefinition{Name: "count", Type: nonNull("Int")}
		if len(cols) > 0 {
			b.selectColumnEnum(t)
			count.Arguments = ast.ArgumentDefinitionList{
				{Name: "columns", Type: listOf(nonNull(n + "_select_column"))},
				{Name: "distinct", Type: named("Boolean")},
			}
		}
		d.Fields = append(d.Fields, count)
		var comparable, numeric []*model.Column
		for _, c := range cols {
			if c.IsComparable() {
				comparable = append(comparable, c)
			}
			if c.IsNumeric() {
				numeric = append(numeric, c)
			}
		}
		if len(comparable) > 0 {
			for _, op := range []string{"max", "min"} {
				tn := n + "_" + op + "_fields"
				d.Fields = append(d.Fields, &ast.FieldDefinition{Name: op, Type: named(tn)})
				b.ensure(tn, ast.Object, "aggregate "+op+" on columns", func(fd *ast.Definition) {
					for _, c := range comparable {
						fd.Fields = append(fd.Fields, &ast.FieldDefinition{Name: c.GQLName, Type: named(c.Scalar)})
					}
				})
			}
		}
		if len(numeric) > 0 {
			for _, op := range aggOps {
				tn := n + "_" + op.name + "_fields"
				d.Fields = append(d.Fields, &ast.FieldDefinition{Name: op.name, Type: named(tn)})
				b.ensure(tn, ast.Object, op.desc, func(fd *ast.Definition) {
					for _, c := range numeric {
						typ := "Float"
						if op.name == "sum" {
							typ = c.Scalar
						}
						fd.Fields = append(fd.Fields, &ast.FieldDefinition{Name: c.GQLName, Type: named(typ)})
					}
				})
			}
		}
	})
}

// AggOpNames lists every aggregate operation name besides count.
func AggOpNames() []string {
	out := []string{"max", "min"}
	for _, op := range aggOps {
		out = append(out, op.name)
	}
	return out
}

var _ = fmt.Sprintf

func sortEnum(d *ast.Definition) {
	sort.SliceStable(d.EnumValues, func(i, j int) bool { return d.EnumValues[i].Name < d.EnumValues[j].Name })
}

// streamCursor generates the cursor input types of <t>_stream.
func (b *builder) streamCursor(t *model.Table) {
	n := t.GQLName
	b.ensure("cursor_ordering", ast.Enum, "ordering argument of a cursor", func(d *ast.Definition) {
		d.EnumValues = ast.EnumValueList{
			{Name: "ASC", Description: "ascending ordering of the cursor"},
			{Name: "DESC", Description: "descending ordering of the cursor"},
		}
	})
	b.ensure(n+"_stream_cursor_input", ast.InputObject, "Streaming cursor of the table "+q(t.SQLDesc), func(d *ast.Definition) {
		d.Fields = ast.FieldList{
			{Name: "initial_value", Description: "Stream column input with initial value", Type: nonNull(n + "_stream_cursor_value_input")},
			{Name: "ordering", Description: "cursor ordering", Type: named("cursor_ordering")},
		}
	})
	b.ensure(n+"_stream_cursor_value_input", ast.InputObject, "Initial value of the column from where the streaming should start", func(d *ast.Definition) {
		for _, c := range b.s.SelectColumns(t) {
			b.scalar(c.Scalar)
			typ := columnType(c)
			typ.NonNull = false
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: c.GQLName, Type: typ, Description: c.Comment})
		}
	})
}
