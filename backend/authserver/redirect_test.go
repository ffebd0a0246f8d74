package authserver

import (
	"net/url"
	"testing"
)

func TestRedirectAllowList(t *testing.T) {
	t.Parallel()
	cases := []struct {
		entry, target string
		ok            bool
	}{
		{"https://app.com", "https://app.com", true},
		{"https://app.com", "https://app.com/any/path?x=1#f", true},
		{"https://app.com/", "https://app.com/a", true},
		{"https://app.com/*", "https://app.com/a/b", true},
		{"https://app.com/**", "https://app.com/a/b", true},
		{"https://app.com", "http://app.com", false},
		{"https://app.com", "https://app.com:8443", false},
		{"https://app.com:443", "https://app.com/x", true},
		{"https://app.com", "https://app.com:443/x", true},
		{"https://app.com", "https://app.com.evil.test", false},
		{"https://app.com", "https://evil.test/?https://app.com", false},
		{"https://*.acme.io", "https://a.acme.io/x", true},
		{"https://*.acme.io", "https://a.b.acme.io", false},
		{"https://*.acme.io", "https://acme.io", false},
		{"https://app.com/callback", "https://app.com/callback/deeper", true},
		{"https://app.com/callback", "https://app.com/other", false},
		{"myapp://my.app", "myapp://my.app/open", true},
		{"myapp://my.app", "otherapp://my.app", false},
		{"http://localhost:3000", "http://localhost:3000/welcome", true},
		{"http://localhost:3000", "http://localhost:3001/welcome", false},
	}
	for _, c := range cases {
		u, err := url.Parse(c.target)
		if err != nil {
			t.Fatal(err)
		}
		if got := redirectMatches(c.entry, u); got != c.ok {
			t.Errorf("redirectMatches(%q, %q) = %v, want %v", c.entry, c.target, got, c.ok)
		}
	}
}

func TestRedirectTarget(t *testing.T) {
	t.Parallel()
	s := &Server{cfg: Config{ClientURL: "https://app.test", AllowedRedirectURLs: []string{"https://x.test/cb"}}}
	for target, want := range map[string]string{
		"":                         "https://app.test",
		"https://app.test/deep":    "https://app.test/deep",
		"https://x.test/cb?keep=1": "https://x.test/cb?keep=1",
		"https://x.test/other":     "",
		"/relative":                "",
		"javascript:alert(1)":      "",
		"https:///no-host":         "",
	} {
		got, err := s.redirectTarget(target)
		if (err != nil) != (want == "") || got != want {
			t.Errorf("redirectTarget(%q) = %q, %v; want %q", target, got, err, want)
		}
	}
	open := &Server{}
	if got, err := open.redirectTarget("https://anything.test"); err != nil || got != "https://anything.test" {
		t.Errorf("empty allow-list must allow everything: %q %v", got, err)
	}
}

func TestEmailAccessLists(t *testing.T) {
	t.Parallel()
	s := &Server{cfg: Config{
		AllowedEmails: []string{"vip@blocked.test"}, BlockedEmails: []string{"bad@ok.test"},
		AllowedEmailDomains: []string{"ok.test"}, BlockedEmailDomains: []string{"blocked.test"},
	}}
	for email, want := range map[string]bool{
		"vip@blocked.test": true,  // an allowed email beats a blocked domain
		"bad@ok.test":      false, // a blocked email beats an allowed domain
		"a@ok.test":        true,
		"a@blocked.test":   false,
		"a@other.test":     false, // an allow-list rejects the rest
	} {
		if got := s.emailAllowed(email); got != want {
			t.Errorf("emailAllowed(%q) = %v, want %v", email, got, want)
		}
	}
	if !(&Server{cfg: Config{BlockedEmailDomains: []string{"x.test"}}}).emailAllowed("a@y.test") {
		t.Error("with only block lists the rest is allowed")
	}
}
