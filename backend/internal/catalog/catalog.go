// Package catalog reads what the database holds (tables, views, columns,
// types, nullability, defaults, keys) on Postgres and SQLite, so the engine
// can check metadata against it and generate types from it.
package catalog

import (
	"context"
	"database/sql"
	"fmt"
)

// Key identifies a table in the database. On SQLite the schema is empty and
// the name is the flat table name (auth_users for auth.users).
type Key struct {
	Schema string
	Name   string
}

// Catalog is every user table and view of a database.
type Catalog struct {
	Tables map[Key]*Table
}

// Table is one table or view.
type Table struct {
	Key         Key
	IsView      bool
	Columns     []*Column
	PrimaryKey  *Constraint
	Uniques     []*Constraint
	ForeignKeys []*ForeignKey
}

// Column is one column. Type is a Postgres type name (udt name such as
// int4, text, uuid, timestamptz, jsonb); for arrays IsArray is set and Type
// is the element type.
type Column struct {
	Name       string
	Type       string
	IsArray    bool
	Nullable   bool
	HasDefault bool
}

// Constraint is a primary key or unique constraint.
type Constraint struct {
	Name    string
	Columns []string
	// Generated marks a name the SQLite reader made up Postgres-style
	// (<table>_pkey, <table>_<cols>_key), since SQLite names none.
	Generated bool
}

// ForeignKey is a foreign key constraint of a table.
type ForeignKey struct {
	Name       string
	Columns    []string
	RefTable   Key
	RefColumns []string
}

// Column returns the named column or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Dialect selects the catalog reader.
type Dialect int

// Supported dialects.
const (
	SQLite Dialect = iota + 1
	Postgres
)

// Read introspects the database.
func Read(ctx context.Context, db *sql.DB, d Dialect) (*Catalog, error) {
	switch d {
	case Postgres:
		return readPostgres(ctx, db)
	case SQLite:
		return readSQLite(ctx, db)
	}
	return nil, fmt.Errorf("catalog: unknown dialect %d", d)
}
