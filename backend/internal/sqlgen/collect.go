package sqlgen

import (
	"sort"
	"strings"

	"github.com/notes-app/notes/backend/internal/gqlerr"
	"github.com/vektah/gqlparser/v2/ast"
)

// collect flattens a selection set for an object type: fragments and
// inline fragments are expanded, @skip/@include applied, and fields with
// the same response key merged, in first-appearance order.
func (c *compiler) collect(set ast.SelectionSet, typeName string) ([]*ast.Field, *gqlerr.Error) {
	var out []*ast.Field
	index := map[string]int{}
	var walk func(set ast.SelectionSet, depth int) *gqlerr.Error
	walk = func(set ast.SelectionSet, depth int) *gqlerr.Error {
		if depth > 64 {
			return gqlerr.Validation("$", "fragment nesting too deep")
		}
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				ok, err := c.included(s.Directives)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
				alias := s.Alias
				if alias == "" {
					alias = s.Name
				}
				if i, seen := index[alias]; seen {
					merged := *out[i]
					merged.SelectionSet = append(append(ast.SelectionSet{}, out[i].SelectionSet...), s.SelectionSet...)
					out[i] = &merged
					continue
				}
				cp := *s
				cp.Alias = alias
				index[alias] = len(out)
				out = append(out, &cp)
			case *ast.InlineFragment:
				ok, err := c.included(s.Directives)
				if err != nil {
					return err
				}
				if ok && (s.TypeCondition == "" || s.TypeCondition == typeName) {
					if err := walk(s.SelectionSet, depth+1); err != nil {
						return err
					}
				}
			case *ast.FragmentSpread:
				ok, err := c.included(s.Directives)
				if err != nil {
					return err
				}
				frag := c.doc.Fragments.ForName(s.Name)
				if frag == nil {
					return gqlerr.Validation("$", "fragment '%s' not found", s.Name)
				}
				if ok && frag.TypeCondition == typeName {
					if err := walk(frag.SelectionSet, depth+1); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	if err := walk(set, 0); err != nil {
		return nil, err
	}
	return out, nil
}

func (c *compiler) included(dirs ast.DirectiveList) (bool, *gqlerr.Error) {
	for _, d := range dirs {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		arg := d.Arguments.ForName("if")
		if arg == nil {
			return false, gqlerr.Validation("$", "missing required field 'if'")
		}
		v, err := c.coerceAST(ast.NonNullNamedType("Boolean", nil), arg.Value, "$.directives."+d.Name+".args.if")
		if err != nil {
			return false, err
		}
		b, _ := v.(bool)
		if (d.Name == "skip" && b) || (d.Name == "include" && !b) {
			return false, nil
		}
	}
	return true, nil
}

// checkVariables applies Hasura's request-level variable rules: every
// supplied variable must be used, and non-null variables need a value.
func (c *compiler) checkVariables() *gqlerr.Error {
	refs := map[string]bool{}
	seenFrag := map[string]bool{}
	var walkValue func(v *ast.Value)
	walkValue = func(v *ast.Value) {
		if v == nil {
			return
		}
		if v.Kind == ast.Variable {
			refs[v.Raw] = true
		}
		for _, ch := range v.Children {
			walkValue(ch.Value)
		}
	}
	walkDirs := func(ds ast.DirectiveList) {
		for _, d := range ds {
			for _, a := range d.Arguments {
				walkValue(a.Value)
			}
		}
	}
	var walk func(set ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				for _, a := range s.Arguments {
					walkValue(a.Value)
				}
				walkDirs(s.Directives)
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walkDirs(s.Directives)
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				walkDirs(s.Directives)
				if seenFrag[s.Name] {
					continue
				}
				seenFrag[s.Name] = true
				if f := c.doc.Fragments.ForName(s.Name); f != nil {
					walk(f.SelectionSet)
				}
			}
		}
	}
	walkDirs(c.op.Directives)
	walk(c.op.SelectionSet)
	var unexpected []string
	for k := range c.vars {
		if !refs[k] {
			unexpected = append(unexpected, k)
		}
	}
	if len(unexpected) > 0 {
		sort.Strings(unexpected)
		return gqlerr.Validation("$", "unexpected variables in variableValues: %s", strings.Join(unexpected, ", "))
	}
	for _, vd := range c.op.VariableDefinitions {
		if !vd.Type.NonNull || !refs[vd.Variable] {
			continue
		}
		v, ok := c.vars[vd.Variable]
		if ok && v == nil {
			return gqlerr.Validation("$", "null value found for non-nullable type: %q", vd.Type.String())
		}
		if !ok && vd.DefaultValue == nil {
			return gqlerr.Validation("$", "no variable value specified for non-nullable variable: %q", vd.Variable)
		}
	}
	return nil
}
