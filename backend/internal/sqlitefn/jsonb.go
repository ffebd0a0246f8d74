package sqlitefn

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"modernc.org/sqlite"
)

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("notes_jsonb_concat", 2, jsonbConcatFn)
	sqlite.MustRegisterDeterministicScalarFunction("notes_jsonb_delete_key", 2, jsonbDeleteKeyFn)
	sqlite.MustRegisterDeterministicScalarFunction("notes_jsonb_delete_elem", 2, jsonbDeleteElemFn)
	sqlite.MustRegisterDeterministicScalarFunction("notes_jsonb_delete_path", 2, jsonbDeletePathFn)
	sqlite.MustRegisterDeterministicScalarFunction("notes_similar", 2, similarFn)
	sqlite.MustRegisterDeterministicScalarFunction("notes_jsonb", 1, jsonbFn)
}

// JSONB re-encodes a JSON document as Postgres prints jsonb: object keys
// ordered by length, then bytewise, duplicates resolved to the last value.
func JSONB(v any) string {
	var sb strings.Builder
	writeJSONB(&sb, v)
	return sb.String()
}

func writeJSONB(sb *strings.Builder, v any) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if len(keys[i]) != len(keys[j]) {
				return len(keys[i]) < len(keys[j])
			}
			return keys[i] < keys[j]
		})
		sb.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			sb.Write(kb)
			sb.WriteByte(':')
			writeJSONB(sb, x[k])
		}
		sb.WriteByte('}')
	case []any:
		sb.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeJSONB(sb, e)
		}
		sb.WriteByte(']')
	default:
		b, _ := json.Marshal(x)
		sb.Write(b)
	}
}

// jsonbFn is notes_jsonb(text): the value in Postgres' jsonb key order.
func jsonbFn(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if args[0] == nil {
		return nil, nil
	}
	v, err := decodeArg(args[0])
	if err != nil {
		return nil, err
	}
	return JSONB(v), nil
}

func decodeArg(v driver.Value) (any, error) {
	var out any
	d := json.NewDecoder(strings.NewReader(fmt.Sprint(text(v))))
	d.UseNumber()
	err := d.Decode(&out)
	return out, err
}

func encode(v any) (driver.Value, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// Concat is Postgres jsonb a || b: objects merge at the top level, arrays
// concatenate, and a scalar counts as a one-element array.
func Concat(a, b any) any {
	if am, ok := a.(map[string]any); ok {
		if bm, ok := b.(map[string]any); ok {
			out := map[string]any{}
			for k, v := range am {
				out[k] = v
			}
			for k, v := range bm {
				out[k] = v
			}
			return out
		}
	}
	return append(asArray(a), asArray(b)...)
}

func asArray(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

func jsonbConcatFn(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if args[0] == nil || args[1] == nil {
		return nil, nil
	}
	a, err := decodeArg(args[0])
	if err != nil {
		return nil, err
	}
	b, err := decodeArg(args[1])
	if err != nil {
		return nil, err
	}
	return encode(Concat(a, b))
}

// jsonbDeleteKeyFn is jsonb - text: drop a key, or string elements equal to it.
func jsonbDeleteKeyFn(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if args[0] == nil || args[1] == nil {
		return args[0], nil
	}
	a, err := decodeArg(args[0])
	if err != nil {
		return nil, err
	}
	key := fmt.Sprint(text(args[1]))
	switch x := a.(type) {
	case map[string]any:
		delete(x, key)
	case []any:
		var out []any
		for _, e := range x {
			if s, ok := e.(string); !ok || s != key {
				out = append(out, e)
			}
		}
		if out == nil {
			out = []any{}
		}
		a = out
	}
	return encode(a)
}

// jsonbDeleteElemFn is jsonb - integer: drop an array element (negative
// indexes count from the end).
func jsonbDeleteElemFn(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if args[0] == nil || args[1] == nil {
		return args[0], nil
	}
	a, err := decodeArg(args[0])
	if err != nil {
		return nil, err
	}
	l, ok := a.([]any)
	if !ok {
		return nil, fmt.Errorf("cannot delete from scalar")
	}
	i, err := strconv.Atoi(fmt.Sprint(text(args[1])))
	if err != nil {
		return nil, err
	}
	if i < 0 {
		i += len(l)
	}
	if i >= 0 && i < len(l) {
		l = append(l[:i:i], l[i+1:]...)
	}
	return encode(l)
}

// jsonbDeletePathFn is jsonb #- text[] (the path as a JSON array of strings).
func jsonbDeletePathFn(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if args[0] == nil || args[1] == nil {
		return args[0], nil
	}
	a, err := decodeArg(args[0])
	if err != nil {
		return nil, err
	}
	p, err := decodeArg(args[1])
	if err != nil {
		return nil, err
	}
	var path []string
	for _, s := range asArray(p) {
		path = append(path, fmt.Sprint(s))
	}
	return encode(deletePath(a, path))
}

func deletePath(v any, path []string) any {
	if len(path) == 0 {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		if len(path) == 1 {
			delete(x, path[0])
		} else if child, ok := x[path[0]]; ok {
			x[path[0]] = deletePath(child, path[1:])
		}
		return x
	case []any:
		i, err := strconv.Atoi(path[0])
		if err != nil {
			return x
		}
		if i < 0 {
			i += len(x)
		}
		if i < 0 || i >= len(x) {
			return x
		}
		if len(path) == 1 {
			return append(x[:i:i], x[i+1:]...)
		}
		x[i] = deletePath(x[i], path[1:])
		return x
	}
	return v
}

// SimilarToRegexp translates a SQL SIMILAR TO pattern into an anchored Go
// regular expression.
func SimilarToRegexp(p string) string {
	var sb strings.Builder
	sb.WriteString("^(?:")
	escaped := false
	for _, r := range p {
		switch {
		case escaped:
			sb.WriteString(regexp.QuoteMeta(string(r)))
			escaped = false
		case r == '\\':
			escaped = true
		case r == '%':
			sb.WriteString(".*")
		case r == '_':
			sb.WriteString(".")
		case r == '.' || r == '^' || r == '$':
			sb.WriteString(regexp.QuoteMeta(string(r)))
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteString(")$")
	return sb.String()
}

// similarFn is notes_similar(pattern, value).
func similarFn(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if args[0] == nil || args[1] == nil {
		return nil, nil
	}
	return regexpFn(nil, []driver.Value{SimilarToRegexp(fmt.Sprint(text(args[0]))), args[1], int64(0)})
}
