package engine_test

import (
	"fmt"
	"strings"

	"github.com/notes-app/notes/backend/internal/sqlgen"
	"gopkg.in/yaml.v3"
)

// keyOrderDiff reports where the response's object keys are not in the
// order the expected YAML lists them (Hasura answers in selection order,
// and the expected files are written that way). Values are compared
// elsewhere; only key sequences are checked here.
func keyOrderDiff(want *yaml.Node, got []byte) string {
	g, err := sqlgen.DecodeOrdered(got)
	if err != nil {
		return ""
	}
	return orderWalk(want, g, "$")
}

func orderWalk(w *yaml.Node, g any, path string) string {
	for w != nil && (w.Kind == yaml.DocumentNode || w.Kind == yaml.AliasNode) {
		if w.Kind == yaml.AliasNode {
			w = w.Alias
		} else if len(w.Content) > 0 {
			w = w.Content[0]
		} else {
			return ""
		}
	}
	if w == nil {
		return ""
	}
	switch w.Kind {
	case yaml.MappingNode:
		o, ok := g.(*sqlgen.Obj)
		if !ok {
			return ""
		}
		var keys []string
		for i := 0; i+1 < len(w.Content); i += 2 {
			keys = append(keys, w.Content[i].Value)
		}
		if len(keys) == len(o.Keys) && path != "$" && !strings.Contains(path, "errors[") {
			for i := range keys {
				if keys[i] != o.Keys[i] {
					return fmt.Sprintf("%s: keys %v, want %v", path, o.Keys, keys)
				}
			}
		}
		for i := 0; i+1 < len(w.Content); i += 2 {
			if v, ok := o.Get(w.Content[i].Value); ok {
				if d := orderWalk(w.Content[i+1], v, path+"."+w.Content[i].Value); d != "" {
					return d
				}
			}
		}
	case yaml.SequenceNode:
		l, ok := g.([]any)
		if !ok || len(l) != len(w.Content) {
			return ""
		}
		for i := range l {
			if d := orderWalk(w.Content[i], l[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	}
	return ""
}
