package schema

import (
	"github.com/notes-app/notes/backend/internal/model"
	"github.com/vektah/gqlparser/v2/ast"
)

func (b *builder) boolExp(t *model.Table) {
	n := t.GQLName + "_bool_exp"
	b.ensure(n, ast.InputObject, "Boolean expression to filter rows from the table "+q(t.SQLDesc)+". All fields are combined with a logical 'AND'.", func(d *ast.Definition) {
		d.Fields = ast.FieldList{
			{Name: "_and", Type: listOf(nonNull(n))},
			{Name: "_not", Type: named(n)},
			{Name: "_or", Type: listOf(nonNull(n))},
		}
		for _, c := range b.s.SelectColumns(t) {
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: c.GQLName, Type: named(b.comparisonExp(c))})
		}
		for _, r := range t.ObjectRels {
			if b.s.SelectPerm(r.Target) == nil {
				continue
			}
			b.boolExp(r.Target)
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: r.Name, Type: named(r.Target.GQLName + "_bool_exp")})
		}
		for _, r := range t.ArrayRels {
			tp := b.s.SelectPerm(r.Target)
			if tp == nil {
				continue
			}
			b.boolExp(r.Target)
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: r.Name, Type: named(r.Target.GQLName + "_bool_exp")})
			if tp.AllowAggregations {
				b.aggregateBoolExp(r.Target)
				d.Fields = append(d.Fields, &ast.FieldDefinition{Name: r.Name + "_aggregate", Type: named(r.Target.GQLName + "_aggregate_bool_exp")})
			}
		}
	})
}

func (b *builder) aggregateBoolExp(t *model.Table) {
	n := t.GQLName
	b.ensure(n+"_aggregate_bool_exp", ast.InputObject, "", func(d *ast.Definition) {
		d.Fields = ast.FieldList{{Name: "count", Type: named(n + "_aggregate_bool_exp_count")}}
		b.comparisonExpFor("Int", false, false)
		b.ensure(n+"_aggregate_bool_exp_count", ast.InputObject, "", func(cd *ast.Definition) {
			if len(b.s.SelectColumns(t)) > 0 {
				b.selectColumnEnum(t)
				cd.Fields = append(cd.Fields, &ast.FieldDefinition{Name: "arguments", Type: listOf(nonNull(n + "_select_column"))})
			}
			cd.Fields = append(cd.Fields,
				&ast.FieldDefinition{Name: "distinct", Type: named("Boolean")},
				&ast.FieldDefinition{Name: "filter", Type: named(n + "_bool_exp")},
				&ast.FieldDefinition{Name: "predicate", Type: nonNull("Int_comparison_exp")},
			)
		})
	})
}

// comparisonExp generates <Scalar>_comparison_exp for the column and
// returns its name.
func (b *builder) comparisonExp(c *model.Column) string {
	return b.comparisonExpFor(c.Scalar, c.IsArray, c.IsStringLike())
}

func (b *builder) comparisonExpFor(scalar string, isArray, stringLike bool) string {
	b.scalar(scalar)
	if isArray {
		n := scalar + "_array_comparison_exp"
		b.ensure(n, ast.InputObject, "Boolean expression to compare columns of type "+q(scalar)+". All fields are combined with logical 'AND'.", func(d *ast.Definition) {
			arr := func() *ast.Type { return listOf(nonNull(scalar)) }
			d.Fields = ast.FieldList{
				{Name: "_contained_in", Description: "is the array contained in the given array value", Type: arr()},
				{Name: "_contains", Description: "does the array contain the given value", Type: arr()},
				{Name: "_eq", Type: arr()}, {Name: "_gt", Type: arr()}, {Name: "_gte", Type: arr()},
				{Name: "_in", Type: listOf(nonNullList(nonNull(scalar)))}, {Name: "_is_null", Type: named("Boolean")},
				{Name: "_lt", Type: arr()}, {Name: "_lte", Type: arr()}, {Name: "_neq", Type: arr()},
				{Name: "_nin", Type: listOf(nonNullList(nonNull(scalar)))},
			}
		})
		return n
	}
	n := scalar + "_comparison_exp"
	b.ensure(n, ast.InputObject, "Boolean expression to compare columns of type "+q(scalar)+". All fields are combined with logical 'AND'.", func(d *ast.Definition) {
		d.Fields = ast.FieldList{
			{Name: "_eq", Type: named(scalar)}, {Name: "_gt", Type: named(scalar)}, {Name: "_gte", Type: named(scalar)},
			{Name: "_in", Type: listOf(nonNull(scalar))}, {Name: "_is_null", Type: named("Boolean")},
			{Name: "_lt", Type: named(scalar)}, {Name: "_lte", Type: named(scalar)}, {Name: "_neq", Type: named(scalar)},
			{Name: "_nin", Type: listOf(nonNull(scalar))},
		}
		if stringLike {
			d.Fields = append(d.Fields,
				&ast.FieldDefinition{Name: "_ilike", Description: "does the column match the given case-insensitive pattern", Type: named(scalar)},
				&ast.FieldDefinition{Name: "_iregex", Description: "does the column match the given POSIX regular expression, case insensitive", Type: named(scalar)},
				&ast.FieldDefinition{Name: "_like", Description: "does the column match the given pattern", Type: named(scalar)},
				&ast.FieldDefinition{Name: "_nilike", Description: "does the column NOT match the given case-insensitive pattern", Type: named(scalar)},
				&ast.FieldDefinition{Name: "_niregex", Description: "does the column NOT match the given POSIX regular expression, case insensitive", Type: named(scalar)},
				&ast.FieldDefinition{Name: "_nlike", Description: "does the column NOT match the given pattern", Type: named(scalar)},
				&ast.FieldDefinition{Name: "_nregex", Description: "does the column NOT match the given POSIX regular expression, case sensitive", Type: named(scalar)},
				&ast.FieldDefinition{Name: "_nsimilar", Description: "does the column NOT match the given SQL regular expression", Type: named(scalar)},
				&ast.FieldDefinition{Name: "_regex", Description: "does the column match the given POSIX regular expression, case sensitive", Type: named(scalar)},
				&ast.FieldDefinition{Name: "_similar", Description: "does the column match the given SQL regular expression", Type: named(scalar)},
			)
		}
		if scalar == "jsonb" {
			b.ensure("jsonb_cast_exp", ast.InputObject, "", func(cd *ast.Definition) {
				b.comparisonExpFor("String", false, true)
				cd.Fields = ast.FieldList{{Name: "String", Type: named("String_comparison_exp")}}
			})
			d.Fields = append(d.Fields,
				&ast.FieldDefinition{Name: "_cast", Type: named("jsonb_cast_exp")},
				&ast.FieldDefinition{Name: "_contained_in", Description: "is the column contained in the given json value", Type: named("jsonb")},
				&ast.FieldDefinition{Name: "_contains", Description: "does the column contain the given json value at the top level", Type: named("jsonb")},
				&ast.FieldDefinition{Name: "_has_key", Description: "does the string exist as a top-level key in the column", Type: named("String")},
				&ast.FieldDefinition{Name: "_has_keys_all", Description: "do all of these strings exist as top-level keys in the column", Type: listOf(nonNull("String"))},
				&ast.FieldDefinition{Name: "_has_keys_any", Description: "do any of these strings exist as top-level keys in the column", Type: listOf(nonNull("String"))},
			)
		}
	})
	return n
}

func (b *builder) orderByEnum() {
	b.ensure("order_by", ast.Enum, "column ordering options", func(d *ast.Definition) {
		d.EnumValues = ast.EnumValueList{
			{Name: "asc", Description: "in ascending order, nulls last"},
			{Name: "asc_nulls_first", Description: "in ascending order, nulls first"},
			{Name: "asc_nulls_last", Description: "in ascending order, nulls last"},
			{Name: "desc", Description: "in descending order, nulls first"},
			{Name: "desc_nulls_first", Description: "in descending order, nulls first"},
			{Name: "desc_nulls_last", Description: "in descending order, nulls last"},
		}
	})
}

func (b *builder) orderBy(t *model.Table) {
	b.orderByEnum()
	b.ensure(t.GQLName+"_order_by", ast.InputObject, "Ordering options when selecting data from "+q(t.SQLDesc)+".", func(d *ast.Definition) {
		for _, c := range b.s.SelectColumns(t) {
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: c.GQLName, Type: named("order_by")})
		}
		for _, r := range t.ObjectRels {
			if b.s.SelectPerm(r.Target) == nil {
				continue
			}
			b.orderBy(r.Target)
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: r.Name, Type: named(r.Target.GQLName + "_order_by")})
		}
		for _, r := range t.ArrayRels {
			if b.s.SelectPerm(r.Target) == nil {
				continue
			}
			b.aggregateOrderBy(r.Target)
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: r.Name + "_aggregate", Type: named(r.Target.GQLName + "_aggregate_order_by")})
		}
	})
}

func (b *builder) aggregateOrderBy(t *model.Table) {
	n := t.GQLName
	b.ensure(n+"_aggregate_order_by", ast.InputObject, "order by aggregate values of table "+q(t.SQLDesc), func(d *ast.Definition) {
		d.Fields = ast.FieldList{{Name: "count", Type: named("order_by")}}
		cols := b.s.SelectColumns(t)
		var comparable, numeric []*model.Column
		for _, c := range cols {
			if c.IsComparable() {
				comparable = append(comparable, c)
			}
			if c.IsNumeric() {
				numeric = append(numeric, c)
			}
		}
		add := func(op string, cs []*model.Column) {
			tn := n + "_" + op + "_order_by"
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: op, Type: named(tn)})
			b.ensure(tn, ast.InputObject, "order by "+op+"() on columns of table "+q(t.SQLDesc), func(od *ast.Definition) {
				for _, c := range cs {
					od.Fields = append(od.Fields, &ast.FieldDefinition{Name: c.GQLName, Type: named("order_by")})
				}
			})
		}
		if len(comparable) > 0 {
			add("max", comparable)
			add("min", comparable)
		}
		if len(numeric) > 0 {
			for _, op := range aggOps {
				add(op.name, numeric)
			}
		}
	})
}
