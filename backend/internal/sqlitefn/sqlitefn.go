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
	if out, ok := formatCommon(s, withTZ); ok {
		return out
	}
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

// formatCommon is FormatTimestamp for the forms SQLite columns hold
// (what the column defaults and Hasura clients write): YYYY-MM-DD, T or a
// space, hh:mm:ss, an optional fraction of 1 to 9 digits, and no offset,
// Z or +00:00. It answers exactly what parsing and formatting would, a
// field out of range included, without either; ok is false for any other
// form.
func formatCommon(s string, withTZ bool) (out string, ok bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return "", false
	}
	var f [6]int
	for i, pos := range [6]int{0, 5, 8, 11, 14, 17} {
		end := pos + 2
		if i == 0 {
			end = pos + 4
		}
		for _, c := range []byte(s[pos:end]) {
			if c < '0' || c > '9' {
				return "", false
			}
			f[i] = f[i]*10 + int(c-'0')
		}
	}
	year, month, day, hour, minute, sec := f[0], f[1], f[2], f[3], f[4], f[5]
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return "", false
	}
	rest, frac := s[19:], ""
	if rest != "" && rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return "", false
		}
		frac, rest = rest[1:min(n, 7)], rest[n:]
		frac = strings.TrimRight(frac, "0")
	}
	if rest != "" && rest != "Z" && rest != "+00:00" {
		return "", false
	}
	var b strings.Builder
	b.Grow(32)
	b.WriteString(s[:10])
	b.WriteByte('T')
	b.WriteString(s[11:19])
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	if withTZ {
		b.WriteString("+00:00")
	}
	return b.String(), true
}

func daysIn(month, year int) int {
	if month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		return 29
	}
	return [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month]
}

// timestampFn is notes_ts(value, withTZ).
func timestampFn(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	withTZ := args[1] == int64(1)
	switch v := args[0].(type) {
	case nil:
		return nil, nil
	case string:
		return FormatTimestamp(v, withTZ), nil
	case []byte:
		return FormatTimestamp(string(v), withTZ), nil
	case time.Time:
		return FormatTimestamp(v.Format(time.RFC3339Nano), withTZ), nil
	default:
		return FormatTimestamp(fmt.Sprint(v), withTZ), nil
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
