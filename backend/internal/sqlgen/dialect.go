package sqlgen

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/notes-app/notes/backend/internal/model"
)

// Dialect is the SQL flavour to generate.
type Dialect int

// Supported dialects.
const (
	SQLite Dialect = iota + 1
	Postgres
)

var nameRe = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)

// lit renders a GraphQL name (an alias, a type name) as an SQL string
// literal. GraphQL names cannot hold quotes; anything else is a bug.
func lit(name string) string {
	if !nameRe.MatchString(name) {
		panic(fmt.Sprintf("sqlgen: %q is not a GraphQL name", name))
	}
	return "'" + name + "'"
}

func quote(ident string) string { return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"` }

func (c *compiler) table(t *model.Table) string {
	if c.d == Postgres {
		return quote(t.Schema) + "." + quote(t.Name)
	}
	return quote(t.Physical)
}

func (c *compiler) newAlias() string {
	c.nalias++
	return "_" + strconv.Itoa(c.nalias)
}

// param binds v and returns its placeholder, cast to the column's type on
// Postgres (values travel as text and Postgres parses them).
func (c *compiler) param(v any, col *model.Column) string {
	pgType := ""
	if col != nil {
		pgType = col.Type
		if col.IsArray {
			pgType += "[]"
		}
	}
	return c.paramTyped(v, pgType)
}

func (c *compiler) paramTyped(v any, pgType string) string {
	if c.d == Postgres && (pgType == "geometry" || pgType == "geography") {
		if _, _, isObj := entries(v); isObj {
			c.args = append(c.args, pgValue(v, "json"))
			return "ST_GeomFromGeoJSON($" + strconv.Itoa(len(c.args)) + "::text)::" + pgType
		}
	}
	if ref, ok := v.(sessionRef); ok {
		c.args = append(c.args, lateArg{name: ref.name, pgType: pgType})
		if c.d == Postgres {
			return pgPlaceholder(len(c.args), pgType)
		}
		return "?" + strconv.Itoa(len(c.args))
	}
	if c.d == Postgres {
		c.args = append(c.args, pgValue(v, pgType))
		return pgPlaceholder(len(c.args), pgType)
	}
	c.args = append(c.args, sqliteValue(v, strings.TrimSuffix(pgType, "[]")))
	return "?" + strconv.Itoa(len(c.args))
}

// pgPlaceholder renders parameter n, which travels as text (every bound
// value is a Go string, and pgx sends strings in text format), typed for
// pgType. For the types in textInput the parameter itself takes the type:
// Postgres parses the text once, when the statement is bound, with the
// same input function and error as a text cast. Other types keep
// ($n::text)::type, whose cast a generic plan would evaluate per row.
func pgPlaceholder(n int, pgType string) string {
	ph := "$" + strconv.Itoa(n)
	switch {
	case pgType == "":
		return ph + "::text"
	case textInput[pgType]:
		return ph + "::" + pgType
	}
	return "(" + ph + "::text)::" + quotePGType(pgType)
}

// textInput are the types whose cast from text is their input function
// (no pg_cast entry from text), so $n::type and ($n::text)::type accept
// and refuse the same values with the same messages.
var textInput = map[string]bool{
	"text": true, "uuid": true, "bool": true,
	"int2": true, "int4": true, "int8": true, "numeric": true, "float4": true, "float8": true, "money": true,
	"date": true, "time": true, "timetz": true, "timestamp": true, "timestamptz": true, "interval": true,
	"json": true, "jsonb": true,
}

func quotePGType(t string) string {
	base, arr := strings.CutSuffix(t, "[]")
	if nameRe.MatchString(base) {
		if arr {
			return base + "[]"
		}
		return base
	}
	panic("sqlgen: bad type name " + t)
}

// maxPairs keeps json_build_object under Postgres' 100-argument limit and
// json_object/json_insert under SQLite's.
const maxPairs = 50

// jsonObject builds a JSON object from key/expression pairs, keys in order.
func (c *compiler) jsonObject(keys, exprs []string) string {
	if c.d == Postgres {
		if len(keys) <= maxPairs {
			return "json_build_object(" + pairs(keys, exprs) + ")"
		}
		// Wide objects: a row of aliased columns keeps order and has no limit.
		cols := make([]string, len(keys))
		for i := range keys {
			lit(keys[i]) // panics on anything but a GraphQL name
			cols[i] = exprs[i] + " AS " + quote(keys[i])
		}
		return "(SELECT row_to_json(_e) FROM (SELECT " + strings.Join(cols, ", ") + ") AS _e)"
	}
	end := min(len(keys), maxPairs)
	out := "json_object(" + pairs(keys[:end], exprs[:end]) + ")"
	for start := end; start < len(keys); start += maxPairs {
		end := min(len(keys), start+maxPairs)
		var args []string
		for i := start; i < end; i++ {
			args = append(args, "'$.\""+strings.Trim(lit(keys[i]), "'")+"\"'", exprs[i])
		}
		out = "json_insert(" + out + ", " + strings.Join(args, ", ") + ")"
	}
	return out
}

func pairs(keys, exprs []string) string {
	var sb strings.Builder
	for i := range keys {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(lit(keys[i]) + ", " + exprs[i])
	}
	return sb.String()
}

// jsonAgg aggregates JSON values into an array ('[]' when empty).
func (c *compiler) jsonAgg(expr, orderBy, filter string) string {
	ob := ""
	if orderBy != "" {
		ob = " ORDER BY " + orderBy
	}
	fl := ""
	if filter != "" {
		fl = " FILTER (WHERE " + filter + ")"
	}
	if c.d == Postgres {
		return "coalesce(json_agg(" + expr + ob + ")" + fl + ", '[]')"
	}
	if !strings.HasPrefix(expr, "json_object(") && !strings.HasPrefix(expr, "json_insert(") {
		expr = "json(" + expr + ")" // a JSON text that lost its JSON subtype
	}
	return "coalesce(json_group_array(" + expr + ob + ")" + fl + ", json('[]'))"
}

// sub wraps a scalar subquery returning JSON so the outer object embeds it
// as JSON, not as a string.
func (c *compiler) sub(q string) string {
	if c.d == Postgres {
		return "(" + q + ")"
	}
	return "json((" + q + "))"
}

// colOut is the output expression of a column.
func (c *compiler) colOut(alias string, col *model.Column) string {
	ref := c.colRef(alias, col.Name)
	if c.d == Postgres {
		if (col.Type == "geometry" || col.Type == "geography") && !col.IsArray {
			return "ST_AsGeoJSON(" + ref + ", 15, 4)::json"
		}
		if c.stringify && stringified(col) {
			return ref + "::text"
		}
		return ref
	}
	switch {
	case c.stringify && stringified(col):
		return "CAST(" + ref + " AS TEXT)"
	case col.Type == "jsonb" && !col.IsArray:
		return "json(notes_jsonb(" + ref + "))"
	case col.IsArray || col.Type == "json":
		return "json(" + ref + ")"
	case col.Type == "uuid":
		return "lower(" + ref + ")"
	case col.Type == "timestamptz":
		return "notes_ts(" + ref + ", 1)"
	case col.Type == "timestamp":
		return "notes_ts(" + ref + ", 0)"
	case col.Type == "bool":
		return "CASE WHEN " + ref + " IS NULL THEN NULL WHEN " + ref + " THEN json('true') ELSE json('false') END"
	}
	return ref
}

func stringified(col *model.Column) bool {
	switch col.Type {
	case "int8", "numeric", "float8", "money":
		return !col.IsArray
	}
	return false
}

func (c *compiler) boolLit(b bool) string {
	if b {
		return "(1=1)"
	}
	return "(1=0)"
}

// cmpRef is the column reference used in comparisons and ordering: SQLite
// timestamps are compared in one normal form whatever format stored them.
func (c *compiler) cmpRef(ref string, col *model.Column) string {
	if c.d == SQLite && !col.IsArray && (col.Type == "timestamptz" || col.Type == "timestamp") {
		tz := "0"
		if col.Type == "timestamptz" {
			tz = "1"
		}
		return "notes_ts(" + ref + ", " + tz + ")"
	}
	return ref
}

// colRef is alias."col", noting that the column is read through alias so
// a limiting subquery can select just the columns its outer query needs.
func (c *compiler) colRef(alias, col string) string {
	if c.need == nil {
		c.need = map[string]map[string]bool{}
	}
	if c.need[alias] == nil {
		c.need[alias] = map[string]bool{}
	}
	c.need[alias][col] = true
	return alias + "." + quote(col)
}

// neededColumns lists, in table order, the columns noted for alias.
func (c *compiler) neededColumns(t *model.Table, alias string) []string {
	var out []string
	for _, col := range t.Columns {
		if c.need[alias][col.Name] {
			out = append(out, alias+"."+quote(col.Name))
		}
	}
	if len(out) == 0 {
		out = append(out, "1 AS __one")
	}
	return out
}
