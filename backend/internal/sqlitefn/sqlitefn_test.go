package sqlitefn

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
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

// slowFormat is FormatTimestamp without its fast path.
func slowFormat(s string, withTZ bool) string {
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

func TestFormatCommonAgreesWithParsing(t *testing.T) {
	dates := []string{"2015-10-17", "2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "0000-01-01", "9999-12-31", "2015-13-01", "2015-00-10", "2015-04-31", "2015-04-00", "2015-1-017"}
	times := []string{"14:42:43", "00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60", "7:42:43x"}
	seps := []string{"T", " ", "t"}
	fracs := []string{"", ".", ".0", ".5", ".120", ".000", ".123456", ".1234560", ".1234567", ".123456789", ".1234567891", ".12a"}
	zones := []string{"", "Z", "+00:00", "+02:00", "-00:00", "+0000", " ", "z"}
	n := 0
	for _, d := range dates {
		for _, sep := range seps {
			for _, tm := range times {
				for _, fr := range fracs {
					for _, z := range zones {
						s := d + sep + tm + fr + z
						for _, tz := range []bool{true, false} {
							n++
							if got, want := FormatTimestamp(s, tz), slowFormat(s, tz); got != want {
								t.Errorf("FormatTimestamp(%q, %v) = %q, parsing gives %q", s, tz, got, want)
							}
						}
					}
				}
			}
		}
	}
	if n < 10000 {
		t.Fatalf("only %d cases", n)
	}
}

func FuzzFormatTimestamp(f *testing.F) {
	f.Add("2015-10-17T14:42:43.120+00:00", true)
	f.Add("2015-10-17 14:42:43", false)
	f.Fuzz(func(t *testing.T, s string, tz bool) {
		if got, want := FormatTimestamp(s, tz), slowFormat(s, tz); got != want {
			t.Errorf("FormatTimestamp(%q, %v) = %q, parsing gives %q", s, tz, got, want)
		}
	})
}
