package sqlgen

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
)

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
		if pgType == "numeric" {
			return haskellShow(x.String())
		}
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

// haskellShow renders a number as Haskell's show of a Scientific does
// (Hasura's text encoding of numeric parameters): fixed notation for
// 0.1 <= |x| < 10^7 with at least one decimal ("12345.0", "-1.1"),
// exponent notation otherwise ("-1.0e-30"). Postgres keeps that many
// decimals as the numeric's scale, so results carry Hasura's scale.
func haskellShow(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	s = strings.TrimPrefix(s, "+")
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(s[i+1:])
		if err != nil {
			return sign + s
		}
		exp = e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	e := len(intPart) + exp // value = 0.digits × 10^e
	trimmed := strings.TrimLeft(digits, "0")
	e -= len(digits) - len(trimmed)
	digits = strings.TrimRight(trimmed, "0")
	if digits == "" {
		return "0.0"
	}
	if e < 0 || e > 7 {
		rest := digits[1:]
		if rest == "" {
			rest = "0"
		}
		return sign + digits[:1] + "." + rest + "e" + strconv.Itoa(e-1)
	}
	if e == 0 {
		return sign + "0." + digits
	}
	if len(digits) <= e {
		return sign + digits + strings.Repeat("0", e-len(digits)) + ".0"
	}
	return sign + digits[:e] + "." + digits[e:]
}
