package web

import (
	"bytes"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// markdown renders notes: goldmark (GFM, raw HTML not rendered) and then
// bluemonday's UGC policy, so a note can never inject script or style.
type markdown struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

func newMarkdown() *markdown {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("code")
	p.AllowAttrs("type", "checked", "disabled").OnElements("input")
	return &markdown{md: goldmark.New(goldmark.WithExtensions(extension.GFM)), policy: p}
}

// HTML returns the sanitised HTML of src.
func (m *markdown) HTML(src string) string {
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		return "<pre>" + html.EscapeString(src) + "</pre>"
	}
	return string(m.policy.SanitizeBytes(buf.Bytes()))
}

// markdownMarkers flattens the Markdown markers an excerpt leaves out. It
// is built once: building a Replacer costs more than running it, and the
// list calls excerpt for every card.
var markdownMarkers = strings.NewReplacer("#", "", "*", "", "`", "", ">", "", "_", " ", "\n- ", "\n")

// excerpt returns the first characters of a note's text for the list,
// with Markdown markers and line breaks flattened.
func excerpt(src string, n int) string {
	src = markdownMarkers.Replace(src)
	src = strings.Join(strings.Fields(src), " ")
	if utf8.RuneCountInString(src) <= n {
		return src
	}
	r := []rune(src)
	return strings.TrimSpace(string(r[:n])) + "…"
}
