package sqlgen

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
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
			if pgType == "" {
				return "$" + strconv.Itoa(len(c.args)) + "::text"
			}
			return "($" + strconv.Itoa(len(c.args)) + "::text)::" + quotePGType(pgType)
		}
		return "?" + strconv.Itoa(len(c.args))
	}
	if c.d == Postgres {
		c.args = append(c.args, pgValue(v, pgType))
		ph := "$" + strconv.Itoa(len(c.args))
		if pgType == "" {
			return ph + "::text"
		}
		return "(" + ph + "::text)::" + quotePGType(pgType)
	}
	c.args = append(c.args, sqliteValue(v, strings.TrimSuffix(pgType, "[]")))
	return "?" + strconv.Itoa(len(c.args))
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

func pgValue(v any, pgType string) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if pgType == "json" || pgType == "jsonb" {
			b, _ := json.Marshal(x)
			return string(b)
		}
		return x
	case json.Number:
		return plainDecimal(x.String())
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case []any:
		if strings.HasSuffix(pgType, "[]") {
			return pgArrayLiteral(x)
		}
	}
	b, _ := json.Marshal(jsonable(v))
	return string(b)
}

func pgArrayLiteral(list []any) string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, e := range list {
		if i > 0 {
			sb.WriteByte(',')
		}
		if e == nil {
			sb.WriteString("NULL")
			continue
		}
		s := fmt.Sprint(e)
		sb.WriteString(`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`)
	}
	sb.WriteByte('}')
	return sb.String()
}

// jsonable converts YAML-decoded maps into JSON-marshalable values.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		o := map[string]any{}
		for k, e := range x {
			o[k] = jsonable(e)
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonable(e)
		}
		return out
	}
	return v
}

func sqliteValue(v any, pgType string) any {
	if v == nil {
		return nil
	}
	switch pgType {
	case "json", "jsonb":
		b, _ := json.Marshal(jsonable(v))
		return string(b)
	case "bool":
		switch x := v.(type) {
		case bool:
			return boolInt(x)
		case string:
			b, _ := parseBool(x)
			return boolInt(b)
		}
	case "int2", "int4", "int8":
		s := fmt.Sprint(v)
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return n
		}
		return s
	case "float4", "float8", "numeric", "money":
		s := fmt.Sprint(v)
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return f
		}
		return s
	case "uuid":
		return strings.ToLower(fmt.Sprint(v))
	}
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case bool:
		return boolInt(x)
	case string, int, int64, float64:
		return x
	}
	b, _ := json.Marshal(jsonable(v))
	return string(b)
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "yes", "y", "1", "on":
		return true, true
	case "false", "f", "no", "n", "0", "off":
		return false, true
	}
	return false, false
}

// jsonObject builds a JSON object from key/expression pairs.
func (c *compiler) jsonObject(keys, exprs []string) string {
	var sb strings.Builder
	if c.d == Postgres {
		sb.WriteString("json_build_object(")
	} else {
		sb.WriteString("json_object(")
	}
	for i := range keys {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(lit(keys[i]) + ", " + exprs[i])
	}
	sb.WriteString(")")
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
	return "coalesce(json_group_array(json(" + expr + ")" + ob + ")" + fl + ", json('[]'))"
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
	ref := alias + "." + quote(col.Name)
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
	case col.IsArray || col.Type == "json" || col.Type == "jsonb":
		return "json(" + ref + ")"
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

// plainDecimal rewrites a number in exponent notation (-2E-2) as a plain
// decimal (-0.02), which every Postgres numeric type (money too) parses.
func plainDecimal(s string) string {
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return s
	}
	mant, exp := s[:i], s[i+1:]
	e, err := strconv.Atoi(exp)
	if err != nil {
		return s
	}
	sign := ""
	if strings.HasPrefix(mant, "-") || strings.HasPrefix(mant, "+") {
		if mant[0] == '-' {
			sign = "-"
		}
		mant = mant[1:]
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	point := len(intPart) + e
	switch {
	case point <= 0:
		digits = strings.Repeat("0", -point+1) + digits
		point = 1
	case point > len(digits):
		digits += strings.Repeat("0", point-len(digits))
	}
	out := digits[:point]
	if point < len(digits) {
		out += "." + digits[point:]
	}
	return sign + out
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

// lateArg is a bind parameter holding a session variable, filled in by
// bindArgs when the plan runs.
type lateArg struct {
	name   string
	pgType string
}

// bindArgs replaces session-variable parameters with this request's values.
func bindArgs(d Dialect, args []any, session map[string]string) ([]any, error) {
	var out []any
	for i, a := range args {
		la, ok := a.(lateArg)
		if !ok {
			continue
		}
		if out == nil {
			out = append([]any{}, args...)
		}
		v, found := session[la.name]
		if !found {
			return nil, gqlerr.New(gqlerr.NotFound, "$", "missing session variable: %q", la.name)
		}
		if d == Postgres {
			out[i] = pgValue(v, la.pgType)
		} else {
			out[i] = sqliteValue(v, strings.TrimSuffix(la.pgType, "[]"))
		}
	}
	if out == nil {
		return args, nil
	}
	return out, nil
}
