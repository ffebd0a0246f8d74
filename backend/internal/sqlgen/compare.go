package sqlgen

import (
	"fmt"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/notes-app/notes/backend/internal/model"
)

// isSessionVar reports whether a permission value names a session variable.
func isSessionVar(v any) (string, bool) {
	s, ok := v.(string)
	if ok && len(s) >= 9 && strings.EqualFold(s[:9], "x-hasura-") {
		return strings.ToLower(s), true
	}
	return "", false
}

// sessionRef is a session variable bound when the plan runs, so a plan
// can be reused by every user of a role.
type sessionRef struct{ name string }

// permValue resolves session variables in a permission value now; the
// plan then depends on this request's session and is not cached.
func (c *compiler) permValue(v any) (any, *gqlerr.Error) {
	name, ok := isSessionVar(v)
	if !ok {
		return v, nil
	}
	c.sessionBound = true
	val, found := c.session[name]
	if !found {
		return nil, gqlerr.New(gqlerr.NotFound, "$", "missing session variable: %q", name)
	}
	return val, nil
}

// lateValue defers a session variable to run time (see bindArgs).
func (c *compiler) lateValue(v any) any {
	if name, ok := isSessionVar(v); ok {
		return sessionRef{name}
	}
	return v
}

func (c *compiler) compareExp(t *model.Table, alias string, col *model.Column, v any, perm bool, path string) (string, *gqlerr.Error) {
	ref := alias + "." + quote(col.Name)
	if perm {
		if _, _, isObj := entries(v); !isObj {
			v = map[string]any{"_eq": v}
		}
	}
	return c.compareOpsOn(t, alias, ref, col, v, perm, path)
}

func (c *compiler) compareOps(ref string, col *model.Column, v any, perm bool, path string) (string, *gqlerr.Error) {
	return c.compareOpsOn(nil, "", ref, col, v, perm, path)
}

func (c *compiler) compareOpsOn(t *model.Table, alias, ref string, col *model.Column, v any, perm bool, path string) (string, *gqlerr.Error) {
	keys, vals, _ := entries(v)
	var parts []string
	for i, op := range keys {
		val := vals[i]
		p := path + "." + op
		if perm {
			op = "_" + strings.TrimLeft(op, "$_")
			if _, simple := binOps[op]; simple {
				val = c.lateValue(val)
			} else {
				var err *gqlerr.Error
				if val, err = c.resolvePermValue(val); err != nil {
					return "", err
				}
			}
		}
		if val == nil && op != "_is_null" {
			return "", gqlerr.Validation(p, "unexpected null value for type '%s'", col.Scalar)
		}
		s, err := c.compareOp(t, alias, ref, col, op, val, p)
		if err != nil {
			return "", err
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return c.boolLit(true), nil
	}
	return "(" + strings.Join(parts, " AND ") + ")", nil
}

func (c *compiler) resolvePermValue(v any) (any, *gqlerr.Error) {
	if list, ok := v.([]any); ok {
		out := make([]any, len(list))
		for i, e := range list {
			x, err := c.permValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	}
	return c.permValue(v)
}

var binOps = map[string]string{"_eq": "=", "_neq": "<>", "_gt": ">", "_gte": ">=", "_lt": "<", "_lte": "<="}

func (c *compiler) compareOp(t *model.Table, alias, ref string, col *model.Column, op string, val any, path string) (string, *gqlerr.Error) {
	isJSON := col.Type == "json" || col.Type == "jsonb"
	if sqlOp, ok := binOps[op]; ok {
		if c.d == SQLite && isJSON {
			return "json(" + ref + ") " + sqlOp + " json(" + c.param(val, col) + ")", nil
		}
		return c.cmpRef(ref, col) + " " + sqlOp + " " + c.cmpRef(c.param(val, col), col), nil
	}
	switch op {
	case "_in", "_nin":
		list, ok := val.([]any)
		if !ok {
			if s, isStr := val.(string); isStr && strings.HasPrefix(s, "{") {
				list = parsePGArray(s)
			} else {
				list = []any{val}
			}
		}
		if len(list) == 0 {
			return c.boolLit(op == "_nin"), nil
		}
		var ps []string
		for _, e := range list {
			ps = append(ps, c.cmpRef(c.param(e, col), col))
		}
		not := ""
		if op == "_nin" {
			not = "NOT "
		}
		return c.cmpRef(ref, col) + " " + not + "IN (" + strings.Join(ps, ", ") + ")", nil
	case "_is_null":
		if b, _ := val.(bool); b {
			return ref + " IS NULL", nil
		}
		return ref + " IS NOT NULL", nil
	case "_like", "_nlike", "_ilike", "_nilike", "_similar", "_nsimilar", "_regex", "_nregex", "_iregex", "_niregex":
		return c.textOp(ref, op, val, path)
	case "_contains", "_contained_in":
		if c.d == Postgres {
			o := "@>"
			if op == "_contained_in" {
				o = "<@"
			}
			return ref + " " + o + " " + c.param(val, col), nil
		}
		if op == "_contains" {
			return "notes_json_contains(" + ref + ", " + c.param(val, col) + ")", nil
		}
		return "notes_json_contains(" + c.param(val, col) + ", " + ref + ")", nil
	case "_has_key":
		if c.d == Postgres {
			return ref + " ? " + c.paramTyped(val, "text"), nil
		}
		return "json_type(" + ref + ", " + c.paramTyped("$."+quote(fmt.Sprint(val)), "text") + ") IS NOT NULL", nil
	case "_has_keys_any", "_has_keys_all":
		list, _ := val.([]any)
		if c.d == Postgres {
			o := "?|"
			if op == "_has_keys_all" {
				o = "?&"
			}
			return ref + " " + o + " " + c.paramTyped(list, "text[]"), nil
		}
		var ps []string
		for _, k := range list {
			ps = append(ps, "json_type("+ref+", "+c.paramTyped("$."+quote(fmt.Sprint(k)), "text")+") IS NOT NULL")
		}
		if len(ps) == 0 {
			return c.boolLit(op == "_has_keys_all"), nil
		}
		j := " OR "
		if op == "_has_keys_all" {
			j = " AND "
		}
		return "(" + strings.Join(ps, j) + ")", nil
	case "_cast":
		keys, vals, _ := entries(val)
		var parts []string
		for i, k := range keys {
			if k != "String" {
				return "", gqlerr.Validation(path+"."+k, "field '%s' not found in type: 'jsonb_cast_exp'", k)
			}
			cast := ref + "::text"
			if c.d == SQLite {
				cast = "CAST(" + ref + " AS TEXT)"
			}
			s, err := c.compareOps(cast, &model.Column{Name: "cast", Type: "text", Scalar: "String"}, vals[i], false, path+"."+k)
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		}
		return and(parts...), nil
	case "_ceq", "_cne", "_cneq", "_cgt", "_cgte", "_clt", "_clte":
		if t == nil {
			break
		}
		name, tbl, ta := fmt.Sprint(val), t, alias
		if list, ok := val.([]any); ok && len(list) > 0 {
			name = fmt.Sprint(list[len(list)-1])
			if len(list) == 2 && fmt.Sprint(list[0]) == "$" && c.rootTable != nil {
				tbl, ta = c.rootTable, c.rootAlias
			}
		}
		other := tbl.Column(name)
		if other == nil {
			return "", gqlerr.Validation(path, "column %q does not exist", name)
		}
		o := map[string]string{"_ceq": "=", "_cne": "<>", "_cneq": "<>", "_cgt": ">", "_cgte": ">=", "_clt": "<", "_clte": "<="}[op]
		return ref + " " + o + " " + ta + "." + quote(other.Name), nil
	}
	return "", gqlerr.Validation(path, "field '%s' not found in type: '%s_comparison_exp'", op, col.Scalar)
}

func (c *compiler) textOp(ref, op string, val any, path string) (string, *gqlerr.Error) {
	s := fmt.Sprint(val)
	neg := strings.HasPrefix(op, "_n")
	not := ""
	if neg {
		not = "NOT "
	}
	base := strings.TrimPrefix(op, "_n")
	base = strings.TrimPrefix(base, "_")
	if c.d == Postgres {
		var o string
		switch base {
		case "like":
			o = "LIKE"
		case "ilike":
			o = "ILIKE"
		case "similar":
			o = "SIMILAR TO"
		case "regex":
			o = "~"
		case "iregex":
			o = "~*"
		}
		return not + "(" + ref + " " + o + " " + c.paramTyped(s, "text") + ")", nil
	}
	switch base {
	case "like":
		return not + "(" + ref + " GLOB " + c.paramTyped(likeToGlob(s), "text") + ")", nil
	case "ilike":
		return not + "(" + ref + " LIKE " + c.paramTyped(s, "text") + ` ESCAPE '\')`, nil
	case "regex":
		return not + "coalesce(notes_regexp(" + c.paramTyped(s, "text") + ", " + ref + ", 0), 0)", nil
	case "iregex":
		return not + "coalesce(notes_regexp(" + c.paramTyped(s, "text") + ", " + ref + ", 1), 0)", nil
	case "similar":
		return not + "coalesce(notes_similar(" + c.paramTyped(s, "text") + ", " + ref + "), 0)", nil
	}
	return "", gqlerr.New(gqlerr.NotSupported, path, "%s is not supported on SQLite", op)
}

// likeToGlob turns a LIKE pattern (backslash escapes, as in Postgres)
// into a case-sensitive GLOB pattern.
func likeToGlob(p string) string {
	var sb strings.Builder
	escaped := false
	for _, r := range p {
		if escaped {
			escaped = false
			switch r {
			case '*', '?', '[', ']':
				sb.WriteString("[" + string(r) + "]")
			default:
				sb.WriteRune(r)
			}
			continue
		}
		switch r {
		case '\\':
			escaped = true
		case '%':
			sb.WriteByte('*')
		case '_':
			sb.WriteByte('?')
		case '*', '?', '[', ']':
			sb.WriteString("[" + string(r) + "]")
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// parsePGArray splits a Postgres array literal such as {1,2,3}.
func parsePGArray(s string) []any {
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "{"), "}")
	if s == "" {
		return []any{}
	}
	var out []any
	for _, p := range strings.Split(s, ",") {
		out = append(out, strings.Trim(strings.TrimSpace(p), `"`))
	}
	return out
}
