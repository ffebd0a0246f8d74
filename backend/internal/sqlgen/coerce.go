package sqlgen

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/vektah/gqlparser/v2/ast"
)

// absentT marks an argument or field that was not given (a variable with
// no value and no default).
type absentT struct{}

var absent = absentT{}

func isAbsent(v any) bool { _, ok := v.(absentT); return ok }

func (c *compiler) typeDef(t *ast.Type) *ast.Definition { return c.sch.Types[t.Name()] }

func astDesc(v *ast.Value) string {
	switch v.Kind {
	case ast.StringValue, ast.BlockValue:
		return "a string"
	case ast.IntValue:
		return "an integer"
	case ast.FloatValue:
		return "a float"
	case ast.BooleanValue:
		return "a boolean"
	case ast.NullValue:
		return "null"
	case ast.ObjectValue:
		return "an object"
	case ast.ListValue:
		return "a list"
	case ast.EnumValue:
		return "an enum value"
	}
	return "a value"
}

func jsonDesc(v any) string {
	switch x := v.(type) {
	case string:
		return "a string"
	case json.Number:
		if strings.ContainsAny(x.String(), ".eE") {
			return "a float"
		}
		return "an integer"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	case *Obj:
		return "an object"
	case []any:
		return "a list"
	}
	return "a value"
}

func (c *compiler) nullErr(t *ast.Type, path string) *gqlerr.Error {
	if d := c.typeDef(t); d != nil && d.Kind == ast.InputObject && t.Elem == nil {
		return gqlerr.Validation(path, "expected an object for type '%s', but found null", t.Name())
	}
	return gqlerr.Validation(path, "unexpected null value for type '%s'", t.Name())
}

// coerceAST checks a literal (possibly holding variables) against typ and
// returns its value: nil, bool, string, json.Number, []any, *Obj or absent.
func (c *compiler) coerceAST(typ *ast.Type, v *ast.Value, path string) (any, *gqlerr.Error) {
	if v.Kind == ast.Variable {
		return c.coerceVar(typ, v.Raw, path)
	}
	if v.Kind == ast.NullValue {
		if typ.NonNull {
			return nil, c.nullErr(typ, path)
		}
		return nil, nil
	}
	if typ.Elem != nil {
		if (v.Kind == ast.StringValue || v.Kind == ast.BlockValue) && isArrayLiteral(v.Raw) {
			return v.Raw, nil
		}
		if v.Kind != ast.ListValue {
			x, err := c.coerceAST(typ.Elem, v, path+"[0]")
			if err != nil || isAbsent(x) {
				return x, err
			}
			return []any{x}, nil
		}
		out := []any{}
		for i, ch := range v.Children {
			x, err := c.coerceAST(typ.Elem, ch.Value, path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			if isAbsent(x) {
				x = nil
			}
			out = append(out, x)
		}
		return out, nil
	}
	def := c.typeDef(typ)
	if def == nil {
		return nil, gqlerr.Validation(path, "unknown type '%s'", typ.Name())
	}
	switch def.Kind {
	case ast.InputObject:
		if v.Kind != ast.ObjectValue {
			return nil, gqlerr.Validation(path, "expected an object for type '%s', but found %s", def.Name, astDesc(v))
		}
		o := &Obj{}
		for _, ch := range v.Children {
			fd := def.Fields.ForName(ch.Name)
			if fd == nil {
				return nil, gqlerr.Validation(path+"."+ch.Name, "field '%s' not found in type: '%s'", ch.Name, def.Name)
			}
			x, err := c.coerceAST(fd.Type, ch.Value, path+"."+ch.Name)
			if err != nil {
				return nil, err
			}
			if !isAbsent(x) {
				o.Set(ch.Name, x)
			}
		}
		return o, c.fillDefaults(def, o, path)
	case ast.Enum:
		name := v.Raw
		if v.Kind != ast.EnumValue || def.EnumValues.ForName(name) == nil {
			return nil, enumErr(def, v.Raw, path)
		}
		return name, nil
	}
	return c.scalarAST(def.Name, v, path)
}

func enumErr(def *ast.Definition, got, path string) *gqlerr.Error {
	var names []string
	for _, ev := range def.EnumValues {
		names = append(names, "'"+ev.Name+"'")
	}
	return gqlerr.Validation(path, "expected one of the values [%s] for type '%s', but found '%s'", strings.Join(names, ", "), def.Name, got)
}

func (c *compiler) fillDefaults(def *ast.Definition, o *Obj, path string) *gqlerr.Error {
	for _, fd := range def.Fields {
		if _, ok := o.Get(fd.Name); ok {
			continue
		}
		if fd.DefaultValue != nil {
			x, err := c.coerceAST(fd.Type, fd.DefaultValue, path+"."+fd.Name)
			if err != nil {
				return err
			}
			o.Set(fd.Name, x)
			continue
		}
		if fd.Type.NonNull {
			return gqlerr.Validation(path, "missing required field '%s'", fd.Name)
		}
	}
	return nil
}

func (c *compiler) coerceVar(typ *ast.Type, name, path string) (any, *gqlerr.Error) {
	vd := c.op.VariableDefinitions.ForName(name)
	if vd == nil {
		return nil, gqlerr.Validation(path, "unbound variable '%s'", name)
	}
	hasDefault := vd.DefaultValue != nil && vd.DefaultValue.Kind != ast.NullValue
	if vd.Type.Name() != typ.Name() || (typ.NonNull && !vd.Type.NonNull && !hasDefault) {
		return nil, gqlerr.Validation(path, "variable '%s' is declared as '%s', but used where '%s' is expected", name, vd.Type.String(), typ.String())
	}
	raw, ok := c.vars[name]
	if !ok {
		if vd.DefaultValue != nil {
			return c.coerceAST(typ, vd.DefaultValue, path)
		}
		return absent, nil
	}
	return c.coerceJSON(typ, raw, path)
}

// coerceJSON checks a variable's JSON value against typ.
func (c *compiler) coerceJSON(typ *ast.Type, v any, path string) (any, *gqlerr.Error) {
	if v == nil {
		if typ.NonNull {
			return nil, c.nullErr(typ, path)
		}
		return nil, nil
	}
	if typ.Elem != nil {
		if s, ok := v.(string); ok && isArrayLiteral(s) {
			return s, nil
		}
		list, ok := v.([]any)
		if !ok {
			x, err := c.coerceJSON(typ.Elem, v, path+"[0]")
			if err != nil {
				return nil, err
			}
			return []any{x}, nil
		}
		out := []any{}
		for i, e := range list {
			x, err := c.coerceJSON(typ.Elem, e, path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		return out, nil
	}
	def := c.typeDef(typ)
	if def == nil {
		return nil, gqlerr.Validation(path, "unknown type '%s'", typ.Name())
	}
	switch def.Kind {
	case ast.InputObject:
		in, ok := v.(*Obj)
		if !ok {
			return nil, gqlerr.Validation(path, "expected an object for type '%s', but found %s", def.Name, jsonDesc(v))
		}
		o := &Obj{}
		for i, k := range in.Keys {
			fd := def.Fields.ForName(k)
			if fd == nil {
				return nil, gqlerr.Validation(path+"."+k, "field '%s' not found in type: '%s'", k, def.Name)
			}
			x, err := c.coerceJSON(fd.Type, in.Vals[i], path+"."+k)
			if err != nil {
				return nil, err
			}
			o.Set(k, x)
		}
		return o, c.fillDefaults(def, o, path)
	case ast.Enum:
		s, ok := v.(string)
		if !ok || def.EnumValues.ForName(s) == nil {
			got, _ := json.Marshal(v)
			return nil, enumErr(def, strings.Trim(string(got), `"`), path)
		}
		return s, nil
	}
	return c.scalarJSON(def.Name, v, path)
}

// isArrayLiteral reports a Postgres array literal such as {a,b}, which
// Hasura's column parser accepts where an array column is expected.
func isArrayLiteral(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}")
}
