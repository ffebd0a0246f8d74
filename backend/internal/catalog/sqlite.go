package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

func readSQLite(ctx context.Context, db *sql.DB) (*Catalog, error) {
	cat := &Catalog{Tables: map[Key]*Table{}}
	rows, err := db.QueryContext(ctx, `SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	var tables []*Table
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read catalog: %w", err)
		}
		tables = append(tables, &Table{Key: Key{Name: name}, IsView: typ == "view"})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	for _, t := range tables {
		if err := readSQLiteTable(ctx, db, t); err != nil {
			return nil, fmt.Errorf("read catalog %s: %w", t.Key.Name, err)
		}
		cat.Tables[t.Key] = t
	}
	return cat, nil
}

func readSQLiteTable(ctx context.Context, db *sql.DB, t *Table) error {
	rows, err := db.QueryContext(ctx, `SELECT name, type, "notnull", dflt_value IS NOT NULL, pk FROM pragma_table_info(?)`, t.Key.Name)
	if err != nil {
		return err
	}
	type pkcol struct {
		name string
		pos  int
	}
	var pks []pkcol
	for rows.Next() {
		var name, typ string
		var notNull, hasDef bool
		var pk int
		if err := rows.Scan(&name, &typ, &notNull, &hasDef, &pk); err != nil {
			rows.Close()
			return err
		}
		c := &Column{Name: name, Nullable: !notNull, HasDefault: hasDef}
		c.Type, c.IsArray = SQLiteType(typ)
		if pk > 0 {
			pks = append(pks, pkcol{name, pk})
			c.Nullable = false
		}
		t.Columns = append(t.Columns, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(pks) > 0 {
		sort.Slice(pks, func(i, j int) bool { return pks[i].pos < pks[j].pos })
		pk := &Constraint{Name: t.Key.Name + "_pkey", Generated: true}
		for _, p := range pks {
			pk.Columns = append(pk.Columns, p.name)
		}
		t.PrimaryKey = pk
		if len(pks) == 1 {
			if c := t.Column(pks[0].name); c != nil && (c.Type == "int4" || c.Type == "int8") {
				c.HasDefault = true // INTEGER PRIMARY KEY is the rowid
			}
		}
	}
	if err := readSQLiteUniques(ctx, db, t); err != nil {
		return err
	}
	return readSQLiteFKs(ctx, db, t)
}

func readSQLiteUniques(ctx context.Context, db *sql.DB, t *Table) error {
	rows, err := db.QueryContext(ctx, `SELECT name, origin FROM pragma_index_list(?) WHERE "unique" = 1 ORDER BY seq DESC`, t.Key.Name)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var name, origin string
		if err := rows.Scan(&name, &origin); err != nil {
			rows.Close()
			return err
		}
		if origin != "pk" {
			names = append(names, name)
		}
	}
	rows.Close()
	for _, idx := range names {
		crows, err := db.QueryContext(ctx, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, idx)
		if err != nil {
			return err
		}
		var cols []string
		for crows.Next() {
			var c sql.NullString
			if err := crows.Scan(&c); err != nil {
				crows.Close()
				return err
			}
			cols = append(cols, c.String)
		}
		crows.Close()
		c := &Constraint{Name: idx, Columns: cols}
		if strings.HasPrefix(idx, "sqlite_autoindex_") {
			c.Name, c.Generated = t.Key.Name+"_"+strings.Join(cols, "_")+"_key", true
		}
		t.Uniques = append(t.Uniques, c)
	}
	return nil
}

func readSQLiteFKs(ctx context.Context, db *sql.DB, t *Table) error {
	rows, err := db.QueryContext(ctx, `SELECT id, "table", "from", coalesce("to", '') FROM pragma_foreign_key_list(?) ORDER BY id, seq`, t.Key.Name)
	if err != nil {
		return err
	}
	defer rows.Close()
	byID := map[int]*ForeignKey{}
	var order []int
	for rows.Next() {
		var id int
		var table, from, to string
		if err := rows.Scan(&id, &table, &from, &to); err != nil {
			return err
		}
		fk := byID[id]
		if fk == nil {
			fk = &ForeignKey{RefTable: Key{Name: table}}
			byID[id] = fk
			order = append(order, id)
		}
		fk.Columns = append(fk.Columns, from)
		fk.RefColumns = append(fk.RefColumns, to)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	sort.Sort(sort.Reverse(sort.IntSlice(order)))
	for _, id := range order {
		fk := byID[id]
		fk.Name = t.Key.Name + "_" + strings.Join(fk.Columns, "_") + "_fkey"
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}
	return nil
}

// SQLiteType maps a declared SQLite column type onto the Postgres type name
// the engine exposes, so SQLite tables get Postgres scalar names.
func SQLiteType(decl string) (typ string, isArray bool) {
	d := strings.ToLower(strings.TrimSpace(decl))
	if strings.HasSuffix(d, "[]") {
		t, _ := SQLiteType(strings.TrimSuffix(d, "[]"))
		return t, true
	}
	if i := strings.IndexByte(d, '('); i >= 0 {
		d = strings.TrimSpace(d[:i])
	}
	switch d {
	case "integer", "int", "int4", "serial", "mediumint":
		return "int4", false
	case "bigint", "int8", "bigserial":
		return "int8", false
	case "smallint", "int2", "tinyint":
		return "int2", false
	case "boolean", "bool":
		return "bool", false
	case "real", "float4":
		return "float4", false
	case "double", "double precision", "float8", "float":
		return "float8", false
	case "numeric", "decimal":
		return "numeric", false
	case "varchar", "character varying", "nvarchar":
		return "varchar", false
	case "char", "character", "bpchar":
		return "bpchar", false
	case "timestamp with time zone", "timestamptz", "datetime":
		return "timestamptz", false
	case "timestamp", "timestamp without time zone":
		return "timestamp", false
	case "", "text", "clob", "string":
		return "text", false
	case "uuid", "citext", "date", "time", "timetz", "interval", "json", "jsonb", "money", "bytea":
		return d, false
	}
	return d, false
}
