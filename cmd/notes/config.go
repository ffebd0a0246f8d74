package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
)

// Mode says where the app finds its backend.
type Mode int

// The two ways the app runs.
const (
	// Standalone serves the embedded auth server and GraphQL engine in-process.
	Standalone Mode = iota + 1
	// Remote talks to a real Nhost project's auth and Hasura over HTTPS.
	Remote
)

func (m Mode) String() string {
	if m == Remote {
		return "remote"
	}
	return "standalone"
}

// Config is everything the binary reads from its environment. It is built by
// one pure function, parseConfig, so every setting is visible in one place.
type Config struct {
	Mode      Mode
	Addr      string // NOTES_ADDR
	PublicURL string // NOTES_PUBLIC_URL
	DataDir   string // NOTES_DATA_DIR
	NhostDir  string // NOTES_NHOST_DIR ("" = ./nhost if present, else the embedded copy)
	LogLevel  slog.Level
	LogFormat string // text or json
	// TrustedProxies are NOTES_TRUSTED_PROXIES: the reverse proxies whose
	// X-Forwarded-For names the client; none means the socket's peer is.
	TrustedProxies []*net.IPNet

	// Standalone backend.
	DatabaseURL      string // NOTES_DATABASE_URL
	AdminSecret      string // HASURA_GRAPHQL_ADMIN_SECRET ("" = generated into the data dir)
	JWTSecret        string // HASURA_GRAPHQL_JWT_SECRET ("" = generated into the data dir)
	UnauthorizedRole string // HASURA_GRAPHQL_UNAUTHORIZED_ROLE

	// Remote backend.
	AuthURL    string // NHOST_AUTH_URL or derived from NHOST_SUBDOMAIN + NHOST_REGION
	GraphQLURL string // NHOST_GRAPHQL_URL or derived

	// Session cookie keys; "" = generated into the data dir.
	SessionHashKey  string // NOTES_SESSION_HASH_KEY (hex, 32 or 64 bytes)
	SessionBlockKey string // NOTES_SESSION_BLOCK_KEY (hex, 16, 24 or 32 bytes)
}

// setting documents one environment variable for --help and .env.example.
type setting struct {
	name, def, help string
}

// settings lists the app's own variables; the auth server's AUTH_* and
// SMTP settings are Nhost's and documented in the README.
var settings = []setting{
	{"NOTES_ADDR", "127.0.0.1:8080", "address to listen on"},
	{"NOTES_PUBLIC_URL", "http://<NOTES_ADDR>", "external URL of the app (https turns on Secure cookies)"},
	{"NOTES_DATA_DIR", "./data", "where the SQLite database and generated development secrets live"},
	{"NOTES_DATABASE_URL", "sqlite:<NOTES_DATA_DIR>/notes.db", "database of the embedded backend: a SQLite path or postgres://..."},
	{"NOTES_NHOST_DIR", "./nhost, else the embedded copy", "the Nhost project folder (migrations + metadata) the embedded backend serves"},
	{"NOTES_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"NOTES_LOG_FORMAT", "text", "text or json"},
	{"NOTES_TRUSTED_PROXIES", "none", "comma list of CIDRs of reverse proxies whose X-Forwarded-For names the client"},
	{"NOTES_SESSION_HASH_KEY", "generated", "hex key that signs the session cookie (32 or 64 bytes)"},
	{"NOTES_SESSION_BLOCK_KEY", "generated", "hex key that encrypts the session cookie (16, 24 or 32 bytes)"},
	{"HASURA_GRAPHQL_ADMIN_SECRET", "generated", "admin secret of the embedded GraphQL engine"},
	{"HASURA_GRAPHQL_JWT_SECRET", "generated HS256", `JWT config JSON, e.g. {"type":"HS256","key":"..."}`},
	{"HASURA_GRAPHQL_UNAUTHORIZED_ROLE", "public", "role of requests without a token"},
	{"NHOST_SUBDOMAIN", "", "remote mode: your Nhost project's subdomain (with NHOST_REGION)"},
	{"NHOST_REGION", "", "remote mode: your Nhost project's region, e.g. eu-central-1"},
	{"NHOST_AUTH_URL", "", "remote mode: explicit auth URL (instead of subdomain + region)"},
	{"NHOST_GRAPHQL_URL", "", "remote mode: explicit GraphQL URL (instead of subdomain + region)"},
}

// parseConfig reads the configuration from getenv and reports every problem
// at once.
func parseConfig(getenv func(string) string) (Config, error) {
	var errs []error
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr:             get("NOTES_ADDR", "127.0.0.1:8080"),
		DataDir:          get("NOTES_DATA_DIR", "data"),
		NhostDir:         get("NOTES_NHOST_DIR", ""),
		LogFormat:        get("NOTES_LOG_FORMAT", "text"),
		AdminSecret:      getenv("HASURA_GRAPHQL_ADMIN_SECRET"),
		JWTSecret:        strings.TrimSpace(getenv("HASURA_GRAPHQL_JWT_SECRET")),
		UnauthorizedRole: get("HASURA_GRAPHQL_UNAUTHORIZED_ROLE", "public"),
		SessionHashKey:   get("NOTES_SESSION_HASH_KEY", ""),
		SessionBlockKey:  get("NOTES_SESSION_BLOCK_KEY", ""),
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("NOTES_ADDR: %q is not host:port", c.Addr))
	}
	c.PublicURL = strings.TrimRight(get("NOTES_PUBLIC_URL", "http://"+displayAddr(c.Addr)), "/")
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("NOTES_PUBLIC_URL: %q is not an http(s) URL", c.PublicURL))
	}
	c.DatabaseURL = get("NOTES_DATABASE_URL", "sqlite:"+strings.TrimRight(c.DataDir, "/")+"/notes.db")
	if err := c.LogLevel.UnmarshalText([]byte(get("NOTES_LOG_LEVEL", "info"))); err != nil {
		errs = append(errs, fmt.Errorf("NOTES_LOG_LEVEL: %w", err))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("NOTES_LOG_FORMAT: %q is neither text nor json", c.LogFormat))
	}
	for _, cidr := range strings.Split(get("NOTES_TRUSTED_PROXIES", ""), ",") {
		if cidr = strings.TrimSpace(cidr); cidr == "" {
			continue
		}
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			errs = append(errs, fmt.Errorf("NOTES_TRUSTED_PROXIES: %q is not a CIDR such as 10.0.0.0/8 or 192.0.2.7/32", cidr))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, n)
	}

	sub, region := get("NHOST_SUBDOMAIN", ""), get("NHOST_REGION", "")
	c.AuthURL, c.GraphQLURL = get("NHOST_AUTH_URL", ""), get("NHOST_GRAPHQL_URL", "")
	switch {
	case sub != "" && region == "", sub == "" && region != "":
		errs = append(errs, errors.New("NHOST_SUBDOMAIN and NHOST_REGION go together"))
	case sub != "":
		if c.AuthURL == "" {
			c.AuthURL = fmt.Sprintf("https://%s.auth.%s.nhost.run/v1", sub, region)
		}
		if c.GraphQLURL == "" {
			c.GraphQLURL = fmt.Sprintf("https://%s.graphql.%s.nhost.run/v1", sub, region)
		}
	}
	switch {
	case c.AuthURL == "" && c.GraphQLURL == "":
		c.Mode = Standalone
	case c.AuthURL == "" || c.GraphQLURL == "":
		errs = append(errs, errors.New("remote mode needs both NHOST_AUTH_URL and NHOST_GRAPHQL_URL (or NHOST_SUBDOMAIN + NHOST_REGION)"))
	default:
		c.Mode = Remote
		for name, v := range map[string]string{"NHOST_AUTH_URL": c.AuthURL, "NHOST_GRAPHQL_URL": c.GraphQLURL} {
			if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				errs = append(errs, fmt.Errorf("%s: %q is not an http(s) URL", name, v))
			}
		}
	}
	return c, errors.Join(errs...)
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
