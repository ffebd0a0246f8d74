package authserver

import (
	"strings"
	"testing"
	"time"
)

func TestLoadConfigDefaults(t *testing.T) {
	t.Parallel()
	c, err := LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"access token 900 s", c.AccessTokenExpiresIn == 900*time.Second},
		{"refresh token 30 d", c.RefreshTokenExpiresIn == 30*24*time.Hour},
		{"verification required", c.EmailVerificationRequired},
		{"default role user", c.DefaultRole == "user"},
		{"allowed roles user,me", strings.Join(c.DefaultAllowedRoles, ",") == "user,me"},
		{"password min 9", c.PasswordMinLength == 9},
		{"passwordless email on", c.EmailPasswordlessEnabled},
		{"passwordless sms on", c.SMSPasswordlessEnabled},
		{"anonymous off", !c.AnonymousUsersEnabled},
		{"rate limits off", !c.RateLimit.Enable},
		{"brute force 10/5m", c.RateLimit.BruteForce == Bucket{10, 5 * time.Minute}},
		{"smtp port 587", c.SMTP.Port == 587 && c.SMTP.Host == ""},
		{"no providers", len(c.Providers) == 5 && !c.Providers["github"].Enabled},
		{"locale en", c.LocaleDefault == "en"},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("default: %s", ch.name)
		}
	}
}

func TestLoadConfigValues(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"AUTH_SERVER_URL": "https://auth.test/v1/auth/",
		"AUTH_CLIENT_URL": "https://app.test",
		"AUTH_ACCESS_CONTROL_ALLOWED_REDIRECT_URLS": "https://a.test, https://*.b.test",
		"AUTH_ACCESS_TOKEN_EXPIRES_IN":              "60",
		"AUTH_USER_DEFAULT_ROLE":                    "editor",
		"AUTH_USER_DEFAULT_ALLOWED_ROLES":           "me",
		"SMTP_HOST":                                 "mail.test",
		"SMTP_PORT":                                 "2525",
		"AUTH_SMTP_USER":                            "u",
		"SMTP_USER":                                 "ignored",
		"AUTH_PROVIDER_GITHUB_ENABLED":              "true",
		"AUTH_PROVIDER_GITHUB_CLIENT_ID":            "id",
		"AUTH_PROVIDER_GITHUB_CLIENT_SECRET":        "secret",
		"AUTH_PROVIDER_GITHUB_SCOPE":                "read:user,user:email",
		"AUTH_RATE_LIMIT_SIGNUPS_INTERVAL":          "10m",
	}
	c, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.ServerURL != "https://auth.test/v1/auth" || c.AccessTokenExpiresIn != time.Minute ||
		strings.Join(c.DefaultAllowedRoles, ",") != "me,editor" || len(c.AllowedRedirectURLs) != 2 ||
		c.SMTP.Host != "mail.test" || c.SMTP.Port != 2525 || c.SMTP.User != "u" || c.SMTP.Sender != "auth@mail.test" ||
		!c.Providers["github"].Enabled || strings.Join(c.Providers["github"].Scopes, " ") != "read:user user:email" ||
		c.RateLimit.Signups.Interval != 10*time.Minute {
		t.Fatalf("config %+v", c)
	}
}

func TestLoadConfigJoinsProblems(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"AUTH_ACCESS_TOKEN_EXPIRES_IN":    "soon",
		"AUTH_EMAIL_PASSWORDLESS_ENABLED": "maybe",
		"AUTH_PROVIDER_GOOGLE_ENABLED":    "true",
		"AUTH_CLIENT_URL":                 "not a url",
		"AUTH_RATE_LIMIT_GLOBAL_INTERVAL": "-1m",
	}
	_, err := LoadConfig(func(k string) string { return env[k] })
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"AUTH_ACCESS_TOKEN_EXPIRES_IN", "AUTH_EMAIL_PASSWORDLESS_ENABLED", "AUTH_PROVIDER_GOOGLE_CLIENT_ID", "not a url", "AUTH_RATE_LIMIT_GLOBAL_INTERVAL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
}

func TestZeroConfigMeansDefaults(t *testing.T) {
	t.Parallel()
	e := mustEnv(t, sqliteURL, setup{opts: func(o *Options) { o.Config = Config{} }})
	if r := e.post("/signup/email-password", map[string]any{"email": "z@example.com", "password": testPassword}); r.status != 200 || strings.TrimSpace(string(r.raw)) != "{}" {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
}

func TestEnabledProvidersNone(t *testing.T) {
	t.Parallel()
	e := mustEnv(t, sqliteURL, setup{})
	if got := e.srv.EnabledProviders(); got == nil || len(got) != 0 {
		t.Fatalf("EnabledProviders = %#v, want an empty list", got)
	}
}
