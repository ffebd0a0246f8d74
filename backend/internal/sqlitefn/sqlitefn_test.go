package sqlitefn

import (
	"encoding/json"
	"regexp"
	"testing"
)

func mustJSON(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestContains(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{`{"a":1,"b":{"c":2}}`, `{"b":{"c":2}}`, true},
		{`{"a":1}`, `{"a":2}`, false},
		{`[1,2,3]`, `[3,1]`, true},
		{`[1,2]`, `3`, false},
		{`["x"]`, `"x"`, true},
		{`{"a":[1,2]}`, `{"a":[2]}`, true},
	} {
		if got := Contains(mustJSON(t, tc.a), mustJSON(t, tc.b)); got != tc.want {
			t.Errorf("%s @> %s = %v", tc.a, tc.b, got)
		}
	}
}

func TestConcat(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{`{"a":1}`, `{"b":2}`, `{"a":1,"b":2}`},
		{`[1]`, `[2]`, `[1,2]`},
		{`[1]`, `2`, `[1,2]`},
		{`{"a":1}`, `[2]`, `[{"a":1},2]`},
	} {
		b, _ := json.Marshal(Concat(mustJSON(t, tc.a), mustJSON(t, tc.b)))
		if string(b) != tc.want {
			t.Errorf("%s || %s = %s, want %s", tc.a, tc.b, b, tc.want)
		}
	}
}

func TestSimilarToRegexp(t *testing.T) {
	for _, tc := range []struct {
		pat, s string
		want   bool
	}{
		{"(a|c)%", "a1", true},
		{"(a|c)%", "b1", false},
		{"a_", "ab", true},
		{"a_", "abc", false},
		{"a.b", "a.b", true},
		{"a.b", "axb", false},
	} {
		if got := regexp.MustCompile(SimilarToRegexp(tc.pat)).MatchString(tc.s); got != tc.want {
			t.Errorf("%q SIMILAR TO %q = %v", tc.s, tc.pat, got)
		}
	}
}

func TestFormatTimestamp(t *testing.T) {
	for _, tc := range []struct {
		in   string
		tz   bool
		want string
	}{
		{"2015-10-17T14:42:43+00:00", true, "2015-10-17T14:42:43+00:00"},
		{"2015-10-17T14:42:43.120+00:00", true, "2015-10-17T14:42:43.12+00:00"},
		{"2015-10-17 16:42:43.5+02:00", true, "2015-10-17T14:42:43.5+00:00"},
		{"2015-10-17T14:42:43Z", true, "2015-10-17T14:42:43+00:00"},
		{"2004-10-19 10:23:54", false, "2004-10-19T10:23:54"},
		{"not a time", true, "not a time"},
	} {
		if got := FormatTimestamp(tc.in, tc.tz); got != tc.want {
			t.Errorf("FormatTimestamp(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
