package web

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// FuzzMarkdown checks that no note renders script, event handlers or
// javascript: URLs.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"# Title\n\n**bold** and `code`",
		"<script>alert(1)</script>",
		"[x](javascript:alert(1))",
		"<img src=x onerror=alert(1)>",
		"- [ ] task\n- [x] done",
		"<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
	} {
		f.Add(s)
	}
	md := newMarkdown()
	f.Fuzz(func(t *testing.T, src string) {
		out := md.HTML(src)
		z := html.NewTokenizer(strings.NewReader(out))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				return
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			switch tok.Data {
			case "script", "style", "iframe", "object", "embed", "form":
				t.Fatalf("%q rendered <%s>: %q", src, tok.Data, out)
			}
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" ||
					((a.Key == "href" || a.Key == "src") && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:"))) {
					t.Fatalf("%q rendered %s=%q: %q", src, a.Key, a.Val, out)
				}
			}
		}
	})
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"# Hi\n\nSome **bold** text", 100, "Hi Some bold text"},
		{"- one\n- two", 100, "- one two"},
		{strings.Repeat("a", 200), 10, strings.Repeat("a", 10) + "…"},
	}
	for _, tt := range tests {
		if got := excerpt(tt.in, tt.n); got != tt.want {
			t.Errorf("excerpt(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// BenchmarkMarkdown renders and sanitises a typical note.
func BenchmarkMarkdown(b *testing.B) {
	src := strings.Repeat("## Heading\n\nSome **bold** text, a [link](https://example.com) and `code`.\n\n- one\n- two\n\n", 20)
	md := newMarkdown()
	b.ReportAllocs()
	for b.Loop() {
		_ = md.HTML(src)
	}
}
