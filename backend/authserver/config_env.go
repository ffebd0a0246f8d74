package authserver

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// env reads typed values and remembers every problem.
type env struct {
	get  func(string) string
	errs []error
}

func (e *env) fail(err error) { e.errs = append(e.errs, err) }

func (e *env) str(name, def string) string {
	if v := strings.TrimSpace(e.get(name)); v != "" {
		return v
	}
	return def
}

func (e *env) str2(name, alias, def string) string { return e.str(name, e.str(alias, def)) }

func (e *env) list(name, def string) []string {
	var out []string
	for _, s := range strings.Split(e.str(name, def), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (e *env) bool(name string, def bool) bool {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.fail(fmt.Errorf("%s: %q is not a boolean", name, v))
		return def
	}
	return b
}

func (e *env) int(name string, def int) int {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.fail(fmt.Errorf("%s: %q is not an integer", name, v))
		return def
	}
	return n
}

func (e *env) int2(name, alias string, def int) int {
	if e.str(name, "") == "" {
		return e.int(alias, def)
	}
	return e.int(name, def)
}

func (e *env) seconds(name string, def int) time.Duration {
	return time.Duration(e.int(name, def)) * time.Second
}

// duration accepts Go durations ("5m") and plain seconds ("300").
func (e *env) duration(name string, def time.Duration) time.Duration {
	v := e.str(name, "")
	if v == "" {
		return def
	}
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(n) * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		e.fail(fmt.Errorf("%s: %q is not a duration", name, v))
		return def
	}
	return d
}

func (e *env) bucket(prefix string, burst int, interval time.Duration) Bucket {
	b := Bucket{Burst: e.int(prefix+"_BURST", burst), Interval: e.duration(prefix+"_INTERVAL", interval)}
	if b.Burst < 1 {
		e.fail(fmt.Errorf("%s_BURST must be at least 1", prefix))
		b.Burst = burst
	}
	return b
}

// pick returns name when it is set and alias otherwise.
func pick(getenv func(string) string, name, alias string) string {
	if strings.TrimSpace(getenv(name)) != "" {
		return name
	}
	return alias
}

func lower(s []string) []string {
	for i := range s {
		s[i] = strings.ToLower(s[i])
	}
	return s
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
