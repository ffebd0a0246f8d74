package authserver

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Config holds every AUTH_* setting the auth server understands, under
// Nhost's variable names and with Nhost's defaults, except where this
// embedded server is a demo: passwordless email and SMS sign-in are on
// unless AUTH_EMAIL_PASSWORDLESS_ENABLED / AUTH_SMS_PASSWORDLESS_ENABLED
// say "false", and the minimum password length is 9 (Nhost cloud's value).
type Config struct {
	// ServerURL is AUTH_SERVER_URL: the public base of this API (…/v1/auth),
	// used in email links and OAuth callback URLs. When empty, the base is
	// derived from each request.
	ServerURL string
	// ClientURL is AUTH_CLIENT_URL: the app's URL, default redirect target.
	ClientURL string
	// AllowedRedirectURLs is AUTH_ACCESS_CONTROL_ALLOWED_REDIRECT_URLS.
	AllowedRedirectURLs []string
	// AllowedEmails and friends are AUTH_ACCESS_CONTROL_{ALLOWED,BLOCKED}_EMAIL{S,_DOMAINS}.
	AllowedEmails, AllowedEmailDomains, BlockedEmails, BlockedEmailDomains []string

	// AccessTokenExpiresIn is AUTH_ACCESS_TOKEN_EXPIRES_IN (seconds, 900).
	AccessTokenExpiresIn time.Duration
	// RefreshTokenExpiresIn is AUTH_REFRESH_TOKEN_EXPIRES_IN (seconds, 2592000).
	RefreshTokenExpiresIn time.Duration

	// EmailVerificationRequired is AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED (true).
	EmailVerificationRequired bool
	// DefaultRole is AUTH_USER_DEFAULT_ROLE (user).
	DefaultRole string
	// DefaultAllowedRoles is AUTH_USER_DEFAULT_ALLOWED_ROLES (user,me); the
	// default role is always part of it.
	DefaultAllowedRoles []string
	// LocaleDefault and AllowedLocales are AUTH_LOCALE_DEFAULT (en) and
	// AUTH_LOCALE_ALLOWED_LOCALES (en).
	LocaleDefault  string
	AllowedLocales []string
	// PasswordMinLength is AUTH_PASSWORD_MIN_LENGTH (9).
	PasswordMinLength int

	// DisableSignup is AUTH_DISABLE_SIGNUP, DisableNewUsers is
	// AUTH_DISABLE_NEW_USERS, DisableAutoSignup is AUTH_DISABLE_AUTO_SIGNUP.
	DisableSignup, DisableNewUsers, DisableAutoSignup bool
	// AnonymousUsersEnabled is AUTH_ANONYMOUS_USERS_ENABLED (false).
	AnonymousUsersEnabled bool
	// EmailPasswordlessEnabled is AUTH_EMAIL_PASSWORDLESS_ENABLED (true here).
	EmailPasswordlessEnabled bool
	// SMSPasswordlessEnabled is AUTH_SMS_PASSWORDLESS_ENABLED (true here).
	SMSPasswordlessEnabled bool
	// OTPEmailEnabled is AUTH_OTP_EMAIL_ENABLED (false): 6-digit codes by email.
	OTPEmailEnabled bool
	// MFAEnabled is AUTH_MFA_ENABLED (false): TOTP as a second factor.
	MFAEnabled bool
	// MFATOTPIssuer is AUTH_MFA_TOTP_ISSUER (auth), shown by authenticator apps.
	MFATOTPIssuer string
	// ConcealErrors is AUTH_CONCEAL_ERRORS (false).
	ConcealErrors bool
	// GravatarEnabled, GravatarDefault and GravatarRating are
	// AUTH_GRAVATAR_ENABLED (true), AUTH_GRAVATAR_DEFAULT (blank), AUTH_GRAVATAR_RATING (g).
	GravatarEnabled                 bool
	GravatarDefault, GravatarRating string

	RateLimit RateLimitConfig
	SMTP      SMTPConfig
	SMS       SMSConfig
	// Providers holds the OAuth providers by path name (google, github, ...).
	Providers map[string]ProviderConfig
}

// RateLimitConfig is AUTH_RATE_LIMIT_*: token buckets of Burst requests
// refilled over Interval, per client IP and, where a request names one,
// per email address or phone number.
type RateLimitConfig struct {
	// Enable is AUTH_RATE_LIMIT_ENABLE (false, as Nhost).
	Enable bool
	// Global applies to every request per IP (_GLOBAL_BURST/_INTERVAL, 100/1m).
	Global Bucket
	// Email applies to requests that send an email (_EMAIL_*, 10/1h).
	Email Bucket
	// EmailIsGlobal is _EMAIL_IS_GLOBAL: one email bucket for all clients.
	EmailIsGlobal bool
	// SMS applies to requests that send an SMS (_SMS_*, 10/1h).
	SMS Bucket
	// BruteForce applies to sign-in and code checks (_BRUTE_FORCE_*, 10/5m).
	BruteForce Bucket
	// Signups applies to account creation (_SIGNUPS_*, 10/5m).
	Signups Bucket
}

// Bucket is one rate limit: Burst requests per Interval.
type Bucket struct {
	Burst    int
	Interval time.Duration
}

// SMTPConfig is AUTH_SMTP_* (SMTP_* accepted as aliases). Mail goes out
// over SMTP when Host is set, and to the dev outbox otherwise.
type SMTPConfig struct {
	Host, User, Pass, Sender string
	Port                     int
	// Secure is AUTH_SMTP_SECURE: implicit TLS instead of STARTTLS.
	Secure bool
	// AuthMethod is AUTH_SMTP_AUTH_METHOD: PLAIN (default), LOGIN or CRAM-MD5.
	AuthMethod string
}

// SMSConfig is AUTH_SMS_*. Messages go through Twilio's Messages API when
// Provider is twilio and the credentials are set, and to the outbox otherwise.
type SMSConfig struct {
	Provider                      string
	TwilioAccountSID, TwilioToken string
	TwilioMessagingServiceID      string
}

// ProviderConfig is AUTH_PROVIDER_<NAME>_*.
type ProviderConfig struct {
	Enabled           bool
	ClientID, Secret  string
	Scopes            []string
	AuthURL, TokenURL string // GitHub Enterprise: _AUTHORIZATION_URL, _TOKEN_URL
	ProfileURL        string // GitHub Enterprise: _USER_PROFILE_URL
}

// providerNames are the OAuth providers this server can run, in button order.
var providerNames = []string{"google", "github", "facebook", "linkedin", "spotify"}

// LoadConfig reads the configuration from getenv. It is pure, and it
// reports every problem at once, joined.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := env{get: getenv}
	c := Config{
		ServerURL:                 strings.TrimRight(e.str("AUTH_SERVER_URL", ""), "/"),
		ClientURL:                 e.str("AUTH_CLIENT_URL", ""),
		AllowedRedirectURLs:       e.list("AUTH_ACCESS_CONTROL_ALLOWED_REDIRECT_URLS", ""),
		AllowedEmails:             lower(e.list("AUTH_ACCESS_CONTROL_ALLOWED_EMAILS", "")),
		AllowedEmailDomains:       lower(e.list("AUTH_ACCESS_CONTROL_ALLOWED_EMAIL_DOMAINS", "")),
		BlockedEmails:             lower(e.list("AUTH_ACCESS_CONTROL_BLOCKED_EMAILS", "")),
		BlockedEmailDomains:       lower(e.list("AUTH_ACCESS_CONTROL_BLOCKED_EMAIL_DOMAINS", "")),
		AccessTokenExpiresIn:      e.seconds("AUTH_ACCESS_TOKEN_EXPIRES_IN", 900),
		RefreshTokenExpiresIn:     e.seconds("AUTH_REFRESH_TOKEN_EXPIRES_IN", 2592000),
		EmailVerificationRequired: e.bool("AUTH_EMAIL_SIGNIN_EMAIL_VERIFIED_REQUIRED", true),
		DefaultRole:               e.str("AUTH_USER_DEFAULT_ROLE", "user"),
		DefaultAllowedRoles:       e.list("AUTH_USER_DEFAULT_ALLOWED_ROLES", "user,me"),
		LocaleDefault:             e.str("AUTH_LOCALE_DEFAULT", "en"),
		AllowedLocales:            e.list("AUTH_LOCALE_ALLOWED_LOCALES", "en"),
		PasswordMinLength:         e.int("AUTH_PASSWORD_MIN_LENGTH", 9),
		DisableSignup:             e.bool("AUTH_DISABLE_SIGNUP", false),
		DisableNewUsers:           e.bool("AUTH_DISABLE_NEW_USERS", false),
		DisableAutoSignup:         e.bool("AUTH_DISABLE_AUTO_SIGNUP", false),
		AnonymousUsersEnabled:     e.bool("AUTH_ANONYMOUS_USERS_ENABLED", false),
		EmailPasswordlessEnabled:  e.bool("AUTH_EMAIL_PASSWORDLESS_ENABLED", true),
		SMSPasswordlessEnabled:    e.bool("AUTH_SMS_PASSWORDLESS_ENABLED", true),
		OTPEmailEnabled:           e.bool("AUTH_OTP_EMAIL_ENABLED", false),
		MFAEnabled:                e.bool("AUTH_MFA_ENABLED", false),
		MFATOTPIssuer:             e.str("AUTH_MFA_TOTP_ISSUER", "auth"),
		ConcealErrors:             e.bool("AUTH_CONCEAL_ERRORS", false),
		GravatarEnabled:           e.bool("AUTH_GRAVATAR_ENABLED", true),
		GravatarDefault:           e.str("AUTH_GRAVATAR_DEFAULT", "blank"),
		GravatarRating:            e.str("AUTH_GRAVATAR_RATING", "g"),
		RateLimit: RateLimitConfig{
			Enable:        e.bool("AUTH_RATE_LIMIT_ENABLE", false),
			Global:        e.bucket("AUTH_RATE_LIMIT_GLOBAL", 100, time.Minute),
			Email:         e.bucket("AUTH_RATE_LIMIT_EMAIL", 10, time.Hour),
			EmailIsGlobal: e.bool("AUTH_RATE_LIMIT_EMAIL_IS_GLOBAL", false),
			SMS:           e.bucket("AUTH_RATE_LIMIT_SMS", 10, time.Hour),
			BruteForce:    e.bucket("AUTH_RATE_LIMIT_BRUTE_FORCE", 10, 5*time.Minute),
			Signups:       e.bucket("AUTH_RATE_LIMIT_SIGNUPS", 10, 5*time.Minute),
		},
		SMTP: SMTPConfig{
			Host:       e.str2("AUTH_SMTP_HOST", "SMTP_HOST", ""),
			Port:       e.int2("AUTH_SMTP_PORT", "SMTP_PORT", 587),
			User:       e.str2("AUTH_SMTP_USER", "SMTP_USER", ""),
			Pass:       e.str2("AUTH_SMTP_PASS", "SMTP_PASS", ""),
			Sender:     e.str2("AUTH_SMTP_SENDER", "SMTP_SENDER", ""),
			Secure:     e.bool(pick(getenv, "AUTH_SMTP_SECURE", "SMTP_SECURE"), false),
			AuthMethod: strings.ToUpper(e.str2("AUTH_SMTP_AUTH_METHOD", "SMTP_AUTH_METHOD", "PLAIN")),
		},
		SMS: SMSConfig{
			Provider:                 strings.ToLower(e.str("AUTH_SMS_PROVIDER", "twilio")),
			TwilioAccountSID:         e.str("AUTH_SMS_TWILIO_ACCOUNT_SID", ""),
			TwilioToken:              e.str("AUTH_SMS_TWILIO_AUTH_TOKEN", ""),
			TwilioMessagingServiceID: e.str("AUTH_SMS_TWILIO_MESSAGING_SERVICE_ID", ""),
		},
		Providers: map[string]ProviderConfig{},
	}
	if c.SMTP.Sender == "" && c.SMTP.Host != "" {
		c.SMTP.Sender = "auth@" + c.SMTP.Host
	}
	if !contains(c.DefaultAllowedRoles, c.DefaultRole) {
		c.DefaultAllowedRoles = append(c.DefaultAllowedRoles, c.DefaultRole)
	}
	for _, name := range providerNames {
		prefix := "AUTH_PROVIDER_" + strings.ToUpper(name) + "_"
		p := ProviderConfig{
			Enabled:    e.bool(prefix+"ENABLED", false),
			ClientID:   e.str(prefix+"CLIENT_ID", ""),
			Secret:     e.str(prefix+"CLIENT_SECRET", ""),
			Scopes:     e.list(prefix+"SCOPE", ""),
			AuthURL:    e.str(prefix+"AUTHORIZATION_URL", ""),
			TokenURL:   e.str(prefix+"TOKEN_URL", ""),
			ProfileURL: e.str(prefix+"USER_PROFILE_URL", ""),
		}
		if p.Enabled && (p.ClientID == "" || p.Secret == "") {
			e.fail(fmt.Errorf("%sENABLED is true but %sCLIENT_ID or %sCLIENT_SECRET is empty", prefix, prefix, prefix))
		}
		c.Providers[name] = p
	}
	for _, u := range append([]string{c.ServerURL, c.ClientURL}, c.AllowedRedirectURLs...) {
		if u == "" {
			continue
		}
		if p, err := url.Parse(u); err != nil || p.Scheme == "" {
			e.fail(fmt.Errorf("%q is not an absolute URL", u))
		}
	}
	if c.AccessTokenExpiresIn <= 0 || c.RefreshTokenExpiresIn <= 0 {
		e.fail(errors.New("AUTH_ACCESS_TOKEN_EXPIRES_IN and AUTH_REFRESH_TOKEN_EXPIRES_IN must be positive"))
	}
	if c.PasswordMinLength < 1 {
		e.fail(errors.New("AUTH_PASSWORD_MIN_LENGTH must be at least 1"))
	}
	if c.LocaleDefault == "" || len(c.LocaleDefault) > 3 {
		e.fail(fmt.Errorf("AUTH_LOCALE_DEFAULT %q must be 2 or 3 characters", c.LocaleDefault))
	}
	if !contains(c.AllowedLocales, c.LocaleDefault) {
		c.AllowedLocales = append(c.AllowedLocales, c.LocaleDefault)
	}
	if err := errors.Join(e.errs...); err != nil {
		return Config{}, fmt.Errorf("auth config: %w", err)
	}
	return c, nil
}
