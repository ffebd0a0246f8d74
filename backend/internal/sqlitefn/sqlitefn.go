// Package sqlitefn registers the SQL functions the engine's SQLite dialect
// needs and SQLite lacks: POSIX-style regular expressions and jsonb
// containment. Importing it registers them for every connection the
// "sqlite" driver opens afterwards.
package sqlitefn

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
)

var (
	mu    sync.Mutex
	cache = map[string]*regexp.Regexp{}
)

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("notes_regexp", 3, regexpFn)
	sqlite.MustRegisterDeterministicScalarFunction("notes_json_contains", 2, containsFn)
	sqlite.MustRegisterDeterministicScalarFunction("notes_ts", 2, timestampFn)
}

var tsLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02",
}

// FormatTimestamp renders a stored timestamp as Postgres' to_json does:
// 2015-10-17T14:42:43.123+00:00 (timestamptz, in UTC) or without the
// offset (timestamp). Unparsable values come back unchanged.
func FormatTimestamp(s string, withTZ bool) string {
	for _, l := range tsLayouts {
		t, err := time.Parse(l, strings.TrimSpace(s))
		if err != nil {
			continue
		}
		if withTZ {
			return t.UTC().Format("2006-01-02T15:04:05.999999") + "+00:00"
		}
		return t.Format("2006-01-02T15:04:05.999999")
	}
	return s
}

// timestampFn is notes_ts(value, withTZ).
func timestampFn(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	switch v := args[0].(type) {
	case nil:
		return nil, nil
	case time.Time:
		return FormatTimestamp(v.Format(time.RFC3339Nano), args[1] == int64(1)), nil
	default:
		return FormatTimestamp(fmt.Sprint(text(v)), args[1] == int64(1)), nil
	}
}

// regexpFn is notes_regexp(pattern, value, caseInsensitive).
func regexpFn(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if args[0] == nil || args[1] == nil {
		return nil, nil
	}
	pat := fmt.Sprint(text(args[0]))
	if ci, _ := args[2].(int64); ci == 1 {
		pat = "(?i)" + pat
	}
	mu.Lock()
	re, ok := cache[pat]
	if !ok {
		var err error
		if re, err = regexp.Compile(pat); err != nil {
			mu.Unlock()
			return nil, fmt.Errorf("invalid regular expression: %w", err)
		}
		if len(cache) > 256 {
			cache = map[string]*regexp.Regexp{}
		}
		cache[pat] = re
	}
	mu.Unlock()
	if re.MatchString(fmt.Sprint(text(args[1]))) {
		return int64(1), nil
	}
	return int64(0), nil
}

func text(v driver.Value) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}

// containsFn is notes_json_contains(a, b): Postgres jsonb a @> b.
func containsFn(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if args[0] == nil || args[1] == nil {
		return nil, nil
	}
	var a, b any
	if err := json.Unmarshal([]byte(fmt.Sprint(text(args[0]))), &a); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(fmt.Sprint(text(args[1]))), &b); err != nil {
		return nil, err
	}
	if Contains(a, b) {
		return int64(1), nil
	}
	return int64(0), nil
}

// Contains reports whether JSON value a contains b as Postgres jsonb @> does.
func Contains(a, b any) bool {
	switch bv := b.(type) {
	case map[string]any:
		av, ok := a.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range bv {
			x, ok := av[k]
			if !ok || !Contains(x, v) {
				return false
			}
		}
		return true
	case []any:
		av, ok := a.([]any)
		if !ok {
			return false
		}
		for _, v := range bv {
			found := false
			for _, x := range av {
				if Contains(x, v) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	default:
		if av, ok := a.([]any); ok {
			for _, x := range av {
				if reflect.DeepEqual(x, b) {
					return true
				}
			}
			return false
		}
		return reflect.DeepEqual(a, b)
	}
}
