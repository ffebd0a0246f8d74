package metadata

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadResolvesIncludesAndKeys(t *testing.T) {
	fsys := fstest.MapFS{
		"version.yaml": {Data: []byte("version: 3\n")},
		"databases/databases.yaml": {Data: []byte(`- name: default
  kind: postgres
  tables: "!include default/tables/tables.yaml"
`)},
		"databases/default/tables/tables.yaml": {Data: []byte(`- "!include auth_users.yaml"
- '!include public_notes.yaml'
`)},
		"databases/default/tables/auth_users.yaml": {Data: []byte(`table: {name: users, schema: auth}
configuration:
  custom_name: users
  custom_root_fields:
    select_by_pk: user
    insert_one: {name: insertUser, comment: one user}
  column_config:
    display_name: {custom_name: displayName}
  custom_column_names:
    display_name: displayName
array_relationships:
  - name: notes
    using:
      foreign_key_constraint_on:
        column: user_id
        table: {name: notes, schema: public}
`)},
		"databases/default/tables/public_notes.yaml": {Data: []byte(`table: {name: notes, schema: public}
object_relationships:
  - name: user
    using: {foreign_key_constraint_on: user_id}
  - name: owner
    using:
      manual_configuration:
        remote_table: {name: users, schema: auth}
        column_mapping: {user_id: id}
select_permissions:
  - role: user
    permission:
      columns: "*"
      filter: {user_id: {_eq: X-Hasura-User-Id}}
      limit: 10
insert_permissions:
  - role: user
    permission:
      check: {}
      set: {user_id: x-hasura-user-id}
update_permissions:
  - role: user
    permission:
      columns: [title]
      filter: {}
delete_permissions:
  - role: user
    permission: {filter: {}}
`)},
	}
	md, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(md.Sources) != 1 || len(md.Sources[0].Tables) != 2 {
		t.Fatalf("got %+v", md.Sources)
	}
	users, notes := md.Sources[0].Tables[0], md.Sources[0].Tables[1]
	if users.File != "databases/default/tables/auth_users.yaml" || users.Table.String() != "auth.users" {
		t.Errorf("users: %s %s", users.File, users.Table)
	}
	if rf := users.Configuration.CustomRootFields["insert_one"]; rf.Name != "insertUser" || rf.Comment != "one user" {
		t.Errorf("insert_one = %+v", rf)
	}
	if users.Configuration.CustomRootFields["select_by_pk"].Name != "user" {
		t.Errorf("select_by_pk = %+v", users.Configuration.CustomRootFields["select_by_pk"])
	}
	fk := users.ArrayRelationships[0].Using.ForeignKey
	if fk.Table.String() != "public.notes" || fk.Columns[0] != "user_id" {
		t.Errorf("array fk = %+v", fk)
	}
	if notes.ObjectRelationships[0].Using.ForeignKey.Columns[0] != "user_id" {
		t.Errorf("object fk = %+v", notes.ObjectRelationships[0].Using.ForeignKey)
	}
	if m := notes.ObjectRelationships[1].Using.Manual.Mapping(); len(m) != 1 || m[0] != [2]string{"user_id", "id"} {
		t.Errorf("manual mapping = %v", m)
	}
	sel := notes.SelectPermissions[0].Permission
	if !sel.Columns.All || *sel.Limit != 10 {
		t.Errorf("select = %+v", sel)
	}
	if notes.InsertPermissions[0].Permission.Columns != nil {
		t.Errorf("insert columns should be absent (all)")
	}
	if got := notes.UpdatePermissions[0].Permission.Columns.List; len(got) != 1 || got[0] != "title" {
		t.Errorf("update columns = %v", got)
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"version": {"version.yaml": {Data: []byte("version: 2\n")}},
		"missing include": {
			"databases/databases.yaml": {Data: []byte("- name: default\n  tables: \"!include default/tables/tables.yaml\"\n")},
		},
		"bad table": {
			"databases/databases.yaml":             {Data: []byte("- name: default\n  tables: \"!include default/tables/tables.yaml\"\n")},
			"databases/default/tables/tables.yaml": {Data: []byte("- \"!include t.yaml\"\n")},
			"databases/default/tables/t.yaml":      {Data: []byte("table: {schema: public}\n")},
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(fsys)
			if err == nil || !strings.Contains(err.Error(), ".yaml") {
				t.Fatalf("error %v does not name a file", err)
			}
		})
	}
}
