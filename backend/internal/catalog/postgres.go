package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

const pgColumnsSQL = `
SELECT n.nspname, c.relname, c.relkind, a.attname, a.attnotnull,
  (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS has_default,
  CASE WHEN coalesce(bt.typcategory, t.typcategory) = 'A' THEN et.typname ELSE coalesce(bt.typname, t.typname) END,
  coalesce(bt.typcategory, t.typcategory) = 'A'
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
LEFT JOIN pg_type et ON et.oid = coalesce(bt.typelem, t.typelem)
WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
ORDER BY n.nspname, c.relname, a.attnum`

const pgConstraintsSQL = `
SELECT n.nspname, c.relname, con.conname, con.contype,
  array_to_json(array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o))::text,
  coalesce(fn.nspname, ''), coalesce(fc.relname, ''),
  coalesce(array_to_json(array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o))::text, '[]')
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'f')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY n.nspname, c.relname, con.conname`

func readPostgres(ctx context.Context, db *sql.DB) (*Catalog, error) {
	cat := &Catalog{Tables: map[Key]*Table{}}
	rows, err := db.QueryContext(ctx, pgColumnsSQL)
	if err != nil {
		return nil, fmt.Errorf("read catalog columns: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var schema, table, kind, col, typ string
		var notNull, hasDef, isArray bool
		var etyp sql.NullString
		if err := rows.Scan(&schema, &table, &kind, &col, &notNull, &hasDef, &etyp, &isArray); err != nil {
			return nil, fmt.Errorf("read catalog columns: %w", err)
		}
		typ = etyp.String
		k := Key{schema, table}
		t := cat.Tables[k]
		if t == nil {
			t = &Table{Key: k, IsView: kind == "v" || kind == "m"}
			cat.Tables[k] = t
		}
		t.Columns = append(t.Columns, &Column{Name: col, Type: typ, IsArray: isArray, Nullable: !notNull, HasDefault: hasDef})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read catalog columns: %w", err)
	}
	crows, err := db.QueryContext(ctx, pgConstraintsSQL)
	if err != nil {
		return nil, fmt.Errorf("read catalog constraints: %w", err)
	}
	defer crows.Close()
	for crows.Next() {
		var schema, table, name, typ, cols, fschema, ftable, fcols string
		if err := crows.Scan(&schema, &table, &name, &typ, &cols, &fschema, &ftable, &fcols); err != nil {
			return nil, fmt.Errorf("read catalog constraints: %w", err)
		}
		t := cat.Tables[Key{schema, table}]
		if t == nil {
			continue
		}
		var local, remote []string
		if err := json.Unmarshal([]byte(cols), &local); err != nil {
			return nil, fmt.Errorf("read catalog constraints: %w", err)
		}
		if err := json.Unmarshal([]byte(fcols), &remote); err != nil {
			return nil, fmt.Errorf("read catalog constraints: %w", err)
		}
		switch typ {
		case "p":
			t.PrimaryKey = &Constraint{Name: name, Columns: local}
		case "u":
			t.Uniques = append(t.Uniques, &Constraint{Name: name, Columns: local})
		case "f":
			t.ForeignKeys = append(t.ForeignKeys, &ForeignKey{Name: name, Columns: local, RefTable: Key{fschema, ftable}, RefColumns: remote})
		}
	}
	return cat, crows.Err()
}
