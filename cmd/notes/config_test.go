package main

import (
	"os"
	"strings"
	"testing"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestParseConfigDefaults(t *testing.T) {
	t.Parallel()
	c, err := parseConfig(env())
	if err != nil {
		t.Fatal(err)
	}
	if c.Mode != Standalone || c.Addr != "127.0.0.1:8080" || c.PublicURL != "http://127.0.0.1:8080" {
		t.Fatalf("defaults = %+v", c)
	}
	if c.DatabaseURL != "sqlite:data/notes.db" || c.UnauthorizedRole != "public" {
		t.Fatalf("backend defaults = %q %q", c.DatabaseURL, c.UnauthorizedRole)
	}
}

func TestParseConfigTrustedProxies(t *testing.T) {
	t.Parallel()
	c, err := parseConfig(env())
	if err != nil || c.TrustedProxies != nil {
		t.Fatalf("default trusts %v (%v), want no proxy", c.TrustedProxies, err)
	}
	c, err = parseConfig(env("NOTES_TRUSTED_PROXIES", " 10.0.0.0/8, 192.0.2.7/32,,2001:db8::/32 "))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range c.TrustedProxies {
		got = append(got, n.String())
	}
	if strings.Join(got, " ") != "10.0.0.0/8 192.0.2.7/32 2001:db8::/32" {
		t.Fatalf("trusted proxies = %v", got)
	}
}

func TestParseConfigRemote(t *testing.T) {
	t.Parallel()
	c, err := parseConfig(env("NHOST_SUBDOMAIN", "abc", "NHOST_REGION", "eu-central-1"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Mode != Remote || c.AuthURL != "https://abc.auth.eu-central-1.nhost.run/v1" || c.GraphQLURL != "https://abc.graphql.eu-central-1.nhost.run/v1" {
		t.Fatalf("remote = %+v", c)
	}
	c, err = parseConfig(env("NHOST_AUTH_URL", "http://127.0.0.1:9/v1/auth", "NHOST_GRAPHQL_URL", "http://127.0.0.1:9/v1/graphql"))
	if err != nil || c.Mode != Remote {
		t.Fatalf("explicit URLs: %+v %v", c, err)
	}
}

func TestParseConfigReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := parseConfig(env(
		"NOTES_ADDR", "nonsense",
		"NOTES_LOG_LEVEL", "loud",
		"NOTES_LOG_FORMAT", "xml",
		"NHOST_SUBDOMAIN", "abc",
		"NOTES_PUBLIC_URL", "ftp://x",
		"NOTES_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local",
	))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"NOTES_ADDR", "NOTES_LOG_LEVEL", "NOTES_LOG_FORMAT", "NHOST_SUBDOMAIN and NHOST_REGION", "NOTES_PUBLIC_URL", `NOTES_TRUSTED_PROXIES: "proxy.local"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s:\n%v", want, err)
		}
	}
}

func TestDevSecretsAreKeptAndPrivate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, path, err := loadDevSecrets(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := loadDevSecrets(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a != b || a.AdminSecret == "" || len(a.SessionBlockKey) != 64 {
		t.Fatalf("secrets not kept: %+v vs %+v", a, b)
	}
	if err := chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := loadDevSecrets(dir); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("world-readable secrets accepted: %v", err)
	}
}

func chmod(path string, mode os.FileMode) error { return os.Chmod(path, mode) }
