package sqlgen

import (
	"encoding/json"
	"sort"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/vektah/gqlparser/v2/ast"
)

// introspect answers __schema and __type from the role's schema.
func (c *compiler) introspect(f *ast.Field, path string) (json.RawMessage, *gqlerr.Error) {
	var v any
	var err *gqlerr.Error
	if f.Name == "__schema" {
		v, err = c.ispSchema(f.SelectionSet, path)
	} else {
		fd := &ast.FieldDefinition{Name: "__type", Arguments: ast.ArgumentDefinitionList{{Name: "name", Type: ast.NonNullNamedType("String", nil)}}}
		args, aerr := c.fieldArgs(fd, f, path)
		if aerr != nil {
			return nil, aerr
		}
		name, _ := args["name"].(string)
		if def := c.sch.Types[name]; def != nil {
			v, err = c.ispType(ast.NamedType(name, nil), f.SelectionSet, path)
		}
	}
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(v)
	return b, nil
}

// ispObject resolves the fields of an introspection object via get.
func (c *compiler) ispObject(typeName string, sel ast.SelectionSet, path string, get func(f *ast.Field, fp string) (any, *gqlerr.Error)) (any, *gqlerr.Error) {
	fields, err := c.collect(sel, typeName)
	if err != nil {
		return nil, err
	}
	def := c.sch.Types[typeName]
	o := &Obj{}
	for _, f := range fields {
		fp := path + ".selectionSet." + f.Name
		if f.Name == "__typename" {
			o.Set(f.Alias, typeName)
			continue
		}
		if def != nil && def.Fields.ForName(f.Name) == nil {
			return nil, gqlerr.Validation(fp, "field '%s' not found in type: '%s'", f.Name, typeName)
		}
		v, err := get(f, fp)
		if err != nil {
			return nil, err
		}
		o.Set(f.Alias, v)
	}
	return o, nil
}

func (c *compiler) ispSchema(sel ast.SelectionSet, path string) (any, *gqlerr.Error) {
	return c.ispObject("__Schema", sel, path, func(f *ast.Field, fp string) (any, *gqlerr.Error) {
		rootRef := func(d *ast.Definition) (any, *gqlerr.Error) {
			if d == nil {
				return nil, nil
			}
			return c.ispType(ast.NamedType(d.Name, nil), f.SelectionSet, fp)
		}
		switch f.Name {
		case "description":
			return nil, nil
		case "queryType":
			return rootRef(c.sch.Query)
		case "mutationType":
			return rootRef(c.sch.Mutation)
		case "subscriptionType":
			return rootRef(c.sch.Subscription)
		case "types":
			names := make([]string, 0, len(c.sch.Types))
			for n := range c.sch.Types {
				names = append(names, n)
			}
			sort.Strings(names)
			out := []any{}
			for _, n := range names {
				v, err := c.ispType(ast.NamedType(n, nil), f.SelectionSet, fp)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			return out, nil
		case "directives":
			names := []string{}
			for n := range c.sch.Directives {
				if n != "deprecated" {
					names = append(names, n)
				}
			}
			sort.Strings(names)
			out := []any{}
			for _, n := range names {
				d := c.sch.Directives[n]
				v, err := c.ispObject("__Directive", f.SelectionSet, fp, func(g *ast.Field, gp string) (any, *gqlerr.Error) {
					switch g.Name {
					case "name":
						return d.Name, nil
					case "description":
						return nilIfEmpty(d.Description), nil
					case "locations":
						locs := []any{}
						for _, l := range d.Locations {
							locs = append(locs, string(l))
						}
						return locs, nil
					case "args":
						return c.ispArgs(d.Arguments, g.SelectionSet, gp)
					case "isRepeatable":
						return d.IsRepeatable, nil
					}
					return nil, nil
				})
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			return out, nil
		}
		return nil, nil
	})
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (c *compiler) ispArgs(args ast.ArgumentDefinitionList, sel ast.SelectionSet, path string) (any, *gqlerr.Error) {
	out := []any{}
	for _, a := range args {
		v, err := c.ispInputValue(a.Name, a.Description, a.Type, a.DefaultValue, sel, path)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (c *compiler) ispInputValue(name, desc string, typ *ast.Type, def *ast.Value, sel ast.SelectionSet, path string) (any, *gqlerr.Error) {
	return c.ispObject("__InputValue", sel, path, func(f *ast.Field, fp string) (any, *gqlerr.Error) {
		switch f.Name {
		case "name":
			return name, nil
		case "description":
			return nilIfEmpty(desc), nil
		case "type":
			return c.ispType(typ, f.SelectionSet, fp)
		case "defaultValue":
			if def == nil {
				return nil, nil
			}
			return def.String(), nil
		case "isDeprecated":
			return false, nil
		}
		return nil, nil
	})
}

// ispType resolves a __Type for a (possibly wrapped) type reference.
func (c *compiler) ispType(t *ast.Type, sel ast.SelectionSet, path string) (any, *gqlerr.Error) {
	var def *ast.Definition
	if !t.NonNull && t.Elem == nil {
		def = c.sch.Types[t.NamedType]
	}
	return c.ispObject("__Type", sel, path, func(f *ast.Field, fp string) (any, *gqlerr.Error) {
		switch f.Name {
		case "kind":
			switch {
			case t.NonNull:
				return "NON_NULL", nil
			case t.Elem != nil:
				return "LIST", nil
			}
			return string(def.Kind), nil
		case "name":
			if def == nil {
				return nil, nil
			}
			return def.Name, nil
		case "description":
			if def == nil {
				return nil, nil
			}
			return nilIfEmpty(def.Description), nil
		case "ofType":
			switch {
			case t.NonNull:
				inner := *t
				inner.NonNull = false
				return c.ispType(&inner, f.SelectionSet, fp)
			case t.Elem != nil:
				return c.ispType(t.Elem, f.SelectionSet, fp)
			}
			return nil, nil
		case "specifiedByURL", "specifiedByUrl":
			return nil, nil
		case "isOneOf":
			if def == nil || def.Kind != ast.InputObject {
				return nil, nil
			}
			return false, nil
		case "interfaces":
			if def == nil || def.Kind != ast.Object {
				return nil, nil
			}
			return []any{}, nil
		case "possibleTypes":
			return nil, nil
		case "fields":
			if def == nil || def.Kind != ast.Object {
				return nil, nil
			}
			out := []any{}
			for _, fd := range def.Fields {
				if len(fd.Name) > 1 && fd.Name[:2] == "__" {
					continue
				}
				v, err := c.ispObject("__Field", f.SelectionSet, fp, func(g *ast.Field, gp string) (any, *gqlerr.Error) {
					switch g.Name {
					case "name":
						return fd.Name, nil
					case "description":
						return nilIfEmpty(fd.Description), nil
					case "args":
						return c.ispArgs(fd.Arguments, g.SelectionSet, gp)
					case "type":
						return c.ispType(fd.Type, g.SelectionSet, gp)
					case "isDeprecated":
						return false, nil
					}
					return nil, nil
				})
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			return out, nil
		case "inputFields":
			if def == nil || def.Kind != ast.InputObject {
				return nil, nil
			}
			out := []any{}
			for _, fd := range def.Fields {
				v, err := c.ispInputValue(fd.Name, fd.Description, fd.Type, fd.DefaultValue, f.SelectionSet, fp)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			return out, nil
		case "enumValues":
			if def == nil || def.Kind != ast.Enum {
				return nil, nil
			}
			out := []any{}
			for _, ev := range def.EnumValues {
				v, err := c.ispObject("__EnumValue", f.SelectionSet, fp, func(g *ast.Field, _ string) (any, *gqlerr.Error) {
					switch g.Name {
					case "name":
						return ev.Name, nil
					case "description":
						return nilIfEmpty(ev.Description), nil
					case "isDeprecated":
						return false, nil
					}
					return nil, nil
				})
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			return out, nil
		}
		return nil, nil
	})
}
