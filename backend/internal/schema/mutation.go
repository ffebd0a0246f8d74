package schema

import (
	"github.com/notes-app/notes/backend/internal/model"
	"github.com/vektah/gqlparser/v2/ast"
)

func (b *builder) mutationFields(t *model.Table, mut *ast.Definition) {
	n := t.GQLName
	sel := b.s.SelectPerm(t)
	if ip := b.s.InsertPerm(t); ip != nil && !t.IsView {
		b.insertInput(t)
		b.mutationResponse(t)
		args := ast.ArgumentDefinitionList{{Name: "objects", Description: "the rows to be inserted", Type: nonNullList(nonNull(n + "_insert_input"))}}
		oneArgs := ast.ArgumentDefinitionList{{Name: "object", Description: "the row to be inserted", Type: nonNull(n + "_insert_input")}}
		if b.onConflict(t) {
			oc := &ast.ArgumentDefinition{Name: "on_conflict", Description: "upsert condition", Type: named(n + "_on_conflict")}
			args = append(args, oc)
			oneArgs = append(oneArgs, oc)
		}
		rf := t.RootFields["insert"]
		mut.Fields = append(mut.Fields, &ast.FieldDefinition{Name: rf.Name, Description: rootDesc(rf, "insert data into the table: "+q(t.SQLDesc)),
			Arguments: args, Type: named(n + "_mutation_response")})
		b.s.Mutation[rf.Name] = RootField{Insert, t}
		if sel != nil {
			rf := t.RootFields["insert_one"]
			mut.Fields = append(mut.Fields, &ast.FieldDefinition{Name: rf.Name, Description: rootDesc(rf, "insert a single row into the table: "+q(t.SQLDesc)),
				Arguments: oneArgs, Type: named(n)})
			b.s.Mutation[rf.Name] = RootField{InsertOne, t}
		}
	}
	if up := b.s.UpdatePerm(t); up != nil && !t.IsView {
		b.mutationResponse(t)
		ops := b.updateOps(t)
		where := &ast.ArgumentDefinition{Name: "where", Description: "filter the rows which have to be updated", Type: nonNull(n + "_bool_exp")}
		b.boolExp(t)
		rf := t.RootFields["update"]
		mut.Fields = append(mut.Fields, &ast.FieldDefinition{Name: rf.Name, Description: rootDesc(rf, "update data of the table: "+q(t.SQLDesc)),
			Arguments: append(append(ast.ArgumentDefinitionList{}, ops...), where), Type: named(n + "_mutation_response")})
		b.s.Mutation[rf.Name] = RootField{Update, t}
		if b.s.pkSelectable(t) {
			b.pkColumnsInput(t)
			rf := t.RootFields["update_by_pk"]
			args := append(append(ast.ArgumentDefinitionList{}, ops...), &ast.ArgumentDefinition{Name: "pk_columns", Type: nonNull(n + "_pk_columns_input")})
			mut.Fields = append(mut.Fields, &ast.FieldDefinition{Name: rf.Name, Description: rootDesc(rf, "update single row of the table: "+q(t.SQLDesc)),
				Arguments: args, Type: named(n)})
			b.s.Mutation[rf.Name] = RootField{UpdateByPK, t}
		}
		b.ensure(n+"_updates", ast.InputObject, "", func(d *ast.Definition) {
			for _, a := range ops {
				d.Fields = append(d.Fields, &ast.FieldDefinition{Name: a.Name, Description: a.Description, Type: a.Type})
			}
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: "where", Description: "filter the rows which have to be updated", Type: nonNull(n + "_bool_exp")})
		})
		rf = t.RootFields["update_many"]
		mut.Fields = append(mut.Fields, &ast.FieldDefinition{Name: rf.Name, Description: rootDesc(rf, "update multiples rows of table: "+q(t.SQLDesc)),
			Arguments: ast.ArgumentDefinitionList{{Name: "updates", Description: "updates to execute, in order", Type: nonNullList(nonNull(n + "_updates"))}},
			Type:      listOf(named(n + "_mutation_response"))})
		b.s.Mutation[rf.Name] = RootField{UpdateMany, t}
	}
	if dp := b.s.DeletePerm(t); dp != nil && !t.IsView {
		b.mutationResponse(t)
		b.boolExp(t)
		rf := t.RootFields["delete"]
		mut.Fields = append(mut.Fields, &ast.FieldDefinition{Name: rf.Name, Description: rootDesc(rf, "delete data from the table: "+q(t.SQLDesc)),
			Arguments: ast.ArgumentDefinitionList{{Name: "where", Description: "filter the rows which have to be deleted", Type: nonNull(n + "_bool_exp")}},
			Type:      named(n + "_mutation_response")})
		b.s.Mutation[rf.Name] = RootField{Delete, t}
		if b.s.pkSelectable(t) {
			rf := t.RootFields["delete_by_pk"]
			mut.Fields = append(mut.Fields, &ast.FieldDefinition{Name: rf.Name, Description: rootDesc(rf, "delete single row from the table: "+q(t.SQLDesc)),
				Arguments: b.pkArgs(t), Type: named(n)})
			b.s.Mutation[rf.Name] = RootField{DeleteByPK, t}
		}
	}
}

func (b *builder) mutationResponse(t *model.Table) {
	n := t.GQLName
	b.ensure(n+"_mutation_response", ast.Object, "response of any mutation on the table "+q(t.SQLDesc), func(d *ast.Definition) {
		d.Fields = ast.FieldList{{Name: "affected_rows", Description: "number of rows affected by the mutation", Type: nonNull("Int")}}
		if b.s.SelectPerm(t) != nil {
			b.objectType(t)
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: "returning", Description: "data from the rows affected by the mutation", Type: nonNullList(nonNull(n))})
		}
	})
}

func (b *builder) insertInput(t *model.Table) {
	n := t.GQLName
	b.ensure(n+"_insert_input", ast.InputObject, "input type for inserting data into table "+q(t.SQLDesc), func(d *ast.Definition) {
		for _, c := range b.s.InsertColumns(t) {
			b.scalar(c.Scalar)
			typ := columnType(c)
			typ.NonNull = false
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: c.GQLName, Type: typ, Description: c.Comment})
		}
		// Nested inserts: a relationship whose target the role may insert into.
		for _, r := range t.ObjectRels {
			if b.s.InsertPerm(r.Target) == nil || r.Target.IsView {
				continue
			}
			b.relInsertInput(r.Target, false)
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: r.Name, Type: named(r.Target.GQLName + "_obj_rel_insert_input")})
		}
		for _, r := range t.ArrayRels {
			if b.s.InsertPerm(r.Target) == nil || r.Target.IsView {
				continue
			}
			b.relInsertInput(r.Target, true)
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: r.Name, Type: named(r.Target.GQLName + "_arr_rel_insert_input")})
		}
		if len(d.Fields) == 0 {
			// GraphQL input objects need a field; Hasura keeps the type usable.
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: "_placeholder", Type: named("Boolean")})
		}
	})
}

// relInsertInput generates <t>_obj_rel_insert_input or <t>_arr_rel_insert_input.
func (b *builder) relInsertInput(t *model.Table, array bool) {
	n := t.GQLName
	name, desc, data := n+"_obj_rel_insert_input", "input type for inserting object relation for remote table "+q(t.SQLDesc), nonNull(n+"_insert_input")
	if array {
		name, desc, data = n+"_arr_rel_insert_input", "input type for inserting array relation for remote table "+q(t.SQLDesc), nonNullList(nonNull(n+"_insert_input"))
	}
	b.ensure(name, ast.InputObject, desc, func(d *ast.Definition) {
		b.insertInput(t)
		d.Fields = ast.FieldList{{Name: "data", Type: data}}
		if b.onConflict(t) {
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: "on_conflict", Description: "upsert condition", Type: named(n + "_on_conflict")})
		}
	})
}

// onConflict generates the on_conflict input when upserts are possible:
// the role has an update permission and the table a unique constraint.
func (b *builder) onConflict(t *model.Table) bool {
	if b.s.UpdatePerm(t) == nil || len(t.Constraints) == 0 {
		return false
	}
	n := t.GQLName
	b.ensure(n+"_constraint", ast.Enum, "unique or primary key constraints on table "+q(t.SQLDesc), func(d *ast.Definition) {
		for _, c := range t.Constraints {
			desc := "unique or primary key constraint on columns "
			for i, col := range c.Columns {
				if i > 0 {
					desc += ", "
				}
				desc += q(col.Name)
			}
			d.EnumValues = append(d.EnumValues, &ast.EnumValueDefinition{Name: c.Name, Description: desc})
		}
	})
	b.ensure(n+"_update_column", ast.Enum, "update columns of table "+q(t.SQLDesc), func(d *ast.Definition) {
		for _, c := range b.s.UpdateColumns(t) {
			d.EnumValues = append(d.EnumValues, &ast.EnumValueDefinition{Name: c.GQLName, Description: "column name"})
		}
		sortEnum(d)
		if len(d.EnumValues) == 0 {
			d.EnumValues = append(d.EnumValues, &ast.EnumValueDefinition{Name: "_PLACEHOLDER", Description: "placeholder (do not use)"})
		}
	})
	b.boolExp(t)
	b.ensure(n+"_on_conflict", ast.InputObject, "on_conflict condition type for table "+q(t.SQLDesc), func(d *ast.Definition) {
		d.Fields = ast.FieldList{
			{Name: "constraint", Type: nonNull(n + "_constraint")},
			{Name: "update_columns", Type: nonNullList(nonNull(n + "_update_column")), DefaultValue: &ast.Value{Kind: ast.ListValue, Raw: "[]"}},
			{Name: "where", Type: named(n + "_bool_exp")},
		}
	})
	return true
}

func (b *builder) pkColumnsInput(t *model.Table) {
	n := t.GQLName
	b.ensure(n+"_pk_columns_input", ast.InputObject, "primary key columns input for table: "+t.SQLDesc, func(d *ast.Definition) {
		for _, c := range t.PrimaryKey {
			b.scalar(c.Scalar)
			d.Fields = append(d.Fields, &ast.FieldDefinition{Name: c.GQLName, Type: nonNull(c.Scalar)})
		}
	})
}

// updateOps returns the update operator arguments (_set, _inc, jsonb ops)
// and generates their input types.
func (b *builder) updateOps(t *model.Table) ast.ArgumentDefinitionList {
	n := t.GQLName
	cols := b.s.UpdateColumns(t)
	var args ast.ArgumentDefinitionList
	var numeric, jsonb []*model.Column
	for _, c := range cols {
		if c.IsNumeric() {
			numeric = append(numeric, c)
		}
		if c.Type == "jsonb" && !c.IsArray {
			jsonb = append(jsonb, c)
		}
	}
	input := func(arg, suffix, desc, argDesc string, cs []*model.Column, typ func(*model.Column) *ast.Type) {
		tn := n + suffix
		b.ensure(tn, ast.InputObject, desc, func(d *ast.Definition) {
			for _, c := range cs {
				d.Fields = append(d.Fields, &ast.FieldDefinition{Name: c.GQLName, Type: typ(c)})
			}
		})
		args = append(args, &ast.ArgumentDefinition{Name: arg, Description: argDesc, Type: named(tn)})
	}
	scalarOf := func(c *model.Column) *ast.Type { b.scalar(c.Scalar); t := columnType(c); t.NonNull = false; return t }
	if len(jsonb) > 0 {
		input("_append", "_append_input", "append existing jsonb value of filtered columns with new jsonb value", "append existing jsonb value of filtered columns with new jsonb value", jsonb, scalarOf)
		input("_delete_at_path", "_delete_at_path_input", "delete the field or element with specified path (for JSON arrays, negative integers count from the end)",
			"delete the field or element with specified path (for JSON arrays, negative integers count from the end)", jsonb, func(*model.Column) *ast.Type { return listOf(nonNull("String")) })
		input("_delete_elem", "_delete_elem_input", "delete the array element with specified index (negative integers count from the end). throws an error if top level container is not an array",
			"delete the array element with specified index (negative integers count from the end). throws an error if top level container is not an array", jsonb, func(*model.Column) *ast.Type { return named("Int") })
		input("_delete_key", "_delete_key_input", "delete key/value pair or string element. key/value pairs are matched based on their key value",
			"delete key/value pair or string element. key/value pairs are matched based on their key value", jsonb, func(*model.Column) *ast.Type { return named("String") })
	}
	if len(numeric) > 0 {
		input("_inc", "_inc_input", "input type for incrementing numeric columns in table "+q(t.SQLDesc), "increments the numeric columns with given value of the filtered values", numeric, scalarOf)
	}
	if len(jsonb) > 0 {
		input("_prepend", "_prepend_input", "prepend existing jsonb value of filtered columns with new jsonb value", "prepend existing jsonb value of filtered columns with new jsonb value", jsonb, scalarOf)
	}
	if len(cols) > 0 {
		input("_set", "_set_input", "input type for updating data in table "+q(t.SQLDesc), "sets the columns of the filtered rows to the given values", cols, scalarOf)
	}
	return args
}
