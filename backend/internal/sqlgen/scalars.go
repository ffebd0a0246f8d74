package sqlgen

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/vektah/gqlparser/v2/ast"
)

func (c *compiler) scalarAST(scalar string, v *ast.Value, path string) (any, *gqlerr.Error) {
	switch scalar {
	case "json", "jsonb":
		return c.astToJSON(v, path)
	}
	var jv any
	switch v.Kind {
	case ast.IntValue, ast.FloatValue:
		jv = json.Number(v.Raw)
	case ast.StringValue, ast.BlockValue:
		jv = v.Raw
	case ast.BooleanValue:
		jv = v.Raw == "true"
	case ast.EnumValue:
		return nil, gqlerr.Validation(path, "expected %s for type '%s', but found an enum value", scalarWant(scalar), scalar)
	default:
		return nil, gqlerr.Validation(path, "expected %s for type '%s', but found %s", scalarWant(scalar), scalar, astDesc(v))
	}
	return c.scalarJSON(scalar, jv, path)
}

func scalarWant(scalar string) string {
	switch scalar {
	case "Int":
		return "a 32-bit integer"
	case "Float":
		return "a float"
	case "String":
		return "a string"
	case "Boolean":
		return "a boolean"
	}
	return "a value"
}

func (c *compiler) scalarJSON(scalar string, v any, path string) (any, *gqlerr.Error) {
	switch scalar {
	case "json", "jsonb":
		return v, nil
	case "Int", "smallint", "bigint":
		switch x := v.(type) {
		case json.Number:
			return checkInt(scalar, x, path)
		case string:
			if _, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
				return checkInt(scalar, json.Number(strings.TrimSpace(x)), path)
			}
			if scalar == "bigint" {
				return x, nil
			}
		}
	case "Float", "float8", "numeric", "money":
		switch x := v.(type) {
		case json.Number:
			return x, nil
		case string:
			if scalar != "Float" {
				return x, nil
			}
		}
	case "String", "citext", "bpchar":
		if s, ok := v.(string); ok {
			return s, nil
		}
	case "Boolean":
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case "uuid":
		if s, ok := v.(string); ok {
			if !validUUID(s) {
				return nil, gqlerr.New(gqlerr.ParseFailed, path, "invalid input syntax for type uuid: %q", s)
			}
			return s, nil
		}
	default:
		switch x := v.(type) {
		case string, json.Number, bool:
			return x, nil
		case []any, *Obj:
			return x, nil
		}
	}
	return nil, gqlerr.Validation(path, "expected %s for type '%s', but found %s", scalarWant(scalar), scalar, jsonDesc(v))
}

func checkInt(scalar string, n json.Number, path string) (any, *gqlerr.Error) {
	bits := 32
	switch scalar {
	case "smallint":
		bits = 16
	case "bigint":
		bits = 64
	}
	if _, err := strconv.ParseInt(n.String(), 10, bits); err != nil {
		return nil, gqlerr.New(gqlerr.ParseFailed, path, "The value %s lies outside the bounds or is not an integer. Maybe it is a float, or is there integer overflow?", scientific(n.String()))
	}
	return n, nil
}

// scientific renders a number as Haskell's Scientific show does: 2.147483648e9.
func scientific(s string) string {
	f, ok := new(big.Float).SetString(s)
	if !ok {
		return s
	}
	text := f.Text('e', -1) // 2.147483648e+09
	mant, exp, _ := strings.Cut(text, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "e" + strconv.Itoa(e)
}

// astToJSON turns a GraphQL literal into a JSON value (for json/jsonb),
// substituting variables by their raw JSON values.
func (c *compiler) astToJSON(v *ast.Value, path string) (any, *gqlerr.Error) {
	switch v.Kind {
	case ast.Variable:
		c.used[v.Raw] = true
		return c.vars[v.Raw], nil
	case ast.NullValue:
		return nil, nil
	case ast.IntValue, ast.FloatValue:
		return json.Number(v.Raw), nil
	case ast.StringValue, ast.BlockValue, ast.EnumValue:
		return v.Raw, nil
	case ast.BooleanValue:
		return v.Raw == "true", nil
	case ast.ListValue:
		out := []any{}
		for _, ch := range v.Children {
			x, err := c.astToJSON(ch.Value, path)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		return out, nil
	case ast.ObjectValue:
		o := &Obj{}
		for _, ch := range v.Children {
			x, err := c.astToJSON(ch.Value, path)
			if err != nil {
				return nil, err
			}
			o.Set(ch.Name, x)
		}
		return o, nil
	}
	return nil, gqlerr.Validation(path, "unexpected value")
}

// validUUID accepts what Postgres' uuid input accepts: 32 hex digits,
// optionally in braces and with hyphens between groups of four.
func validUUID(s string) bool {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	n := 0
	for i, r := range s {
		switch {
		case r == '-':
			if i == 0 || n%4 != 0 {
				return false
			}
		case (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F'):
			n++
		default:
			return false
		}
	}
	return n == 32 && !strings.HasSuffix(s, "-")
}
