package authserver

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/markbates/goth"
	"github.com/markbates/goth/providers/facebook"
	"github.com/markbates/goth/providers/github"
	"github.com/markbates/goth/providers/google"
	"github.com/markbates/goth/providers/spotify"
)

// providerSpec is what the server knows about one OAuth provider: its real
// endpoints (so tests can redirect them), Nhost's default scopes and how
// far its email address can be trusted.
type providerSpec struct {
	real          ProviderEndpoints
	defaultScopes []string
	// emailVerified reports whether the provider vouches for the address.
	emailVerified func(goth.User) bool
}

var providerSpecs = map[string]providerSpec{
	"google": {
		real: ProviderEndpoints{AuthURL: google.Endpoint.AuthURL, TokenURL: google.Endpoint.TokenURL,
			ProfileURL: "https://www.googleapis.com/oauth2/v2/userinfo"},
		defaultScopes: []string{"openid", "email", "profile"},
		emailVerified: func(u goth.User) bool { v, _ := u.RawData["verified_email"].(bool); return v },
	},
	"github": {
		real: ProviderEndpoints{AuthURL: github.AuthURL, TokenURL: github.TokenURL,
			ProfileURL: github.ProfileURL, EmailURL: github.EmailURL},
		defaultScopes: []string{"user:email"},
		// GitHub shows only verified addresses publicly, and goth picks the
		// primary verified one from /user/emails otherwise.
		emailVerified: func(u goth.User) bool { return u.Email != "" },
	},
	"facebook": {
		real: ProviderEndpoints{AuthURL: "https://www.facebook.com/dialog/oauth",
			TokenURL: "https://graph.facebook.com/oauth/access_token", ProfileURL: "https://graph.facebook.com/me"},
		defaultScopes: []string{"email"},
		emailVerified: func(u goth.User) bool { return u.Email != "" },
	},
	"linkedin": {
		real:          ProviderEndpoints{AuthURL: linkedinAuthURL, TokenURL: linkedinTokenURL, ProfileURL: linkedinUserInfoURL},
		defaultScopes: []string{"openid", "profile", "email"},
		emailVerified: func(u goth.User) bool { v, _ := u.RawData["email_verified"].(bool); return v },
	},
	"spotify": {
		real: ProviderEndpoints{AuthURL: "https://accounts.spotify.com/authorize",
			TokenURL: "https://accounts.spotify.com/api/token", ProfileURL: "https://api.spotify.com/v1/me"},
		defaultScopes: []string{"user-read-email", "user-read-private"},
		// Spotify does not say whether the address was verified.
		emailVerified: func(goth.User) bool { return false },
	},
}

// oauthProvider is an enabled provider with its URL overrides.
type oauthProvider struct {
	name      string
	cfg       ProviderConfig
	spec      providerSpec
	overrides ProviderEndpoints
	client    *http.Client
}

// buildProviders returns the enabled providers.
func (s *Server) buildProviders(overrides map[string]ProviderEndpoints) (map[string]*oauthProvider, error) {
	out := map[string]*oauthProvider{}
	for name, cfg := range s.cfg.Providers {
		if !cfg.Enabled {
			continue
		}
		spec, ok := providerSpecs[name]
		if !ok {
			return nil, fmt.Errorf("authserver: unknown provider %q", name)
		}
		p := &oauthProvider{name: name, cfg: cfg, spec: spec, overrides: overrides[name]}
		rules := map[string]string{}
		for _, pair := range [][2]string{
			{spec.real.TokenURL, p.overrides.TokenURL},
			{spec.real.ProfileURL, p.overrides.ProfileURL},
			{spec.real.EmailURL, p.overrides.EmailURL},
		} {
			if pair[0] != "" && pair[1] != "" {
				rules[endpointKey(pair[0])] = pair[1]
			}
		}
		base := s.client.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		p.client = &http.Client{Timeout: s.client.Timeout, Transport: &rewriter{base: base, rules: rules}}
		if p.client.Timeout == 0 {
			p.client.Timeout = 15 * time.Second
		}
		out[name] = p
	}
	return out, nil
}

// goth builds the goth provider for one flow; the callback URL depends on
// the request when AUTH_SERVER_URL is not set.
func (p *oauthProvider) goth(callbackURL string) goth.Provider {
	scopes := p.cfg.Scopes
	if len(scopes) == 0 {
		scopes = p.spec.defaultScopes
	}
	var gp goth.Provider
	switch p.name {
	case "google":
		g := google.New(p.cfg.ClientID, p.cfg.Secret, callbackURL, scopes...)
		g.HTTPClient = p.client
		gp = g
	case "github":
		e := p.spec.real
		if p.cfg.AuthURL != "" {
			e.AuthURL = p.cfg.AuthURL
		}
		if p.cfg.TokenURL != "" {
			e.TokenURL = p.cfg.TokenURL
		}
		if p.cfg.ProfileURL != "" {
			e.ProfileURL = p.cfg.ProfileURL
			e.EmailURL = strings.TrimSuffix(p.cfg.ProfileURL, "/") + "/emails"
		}
		g := github.NewCustomisedURL(p.cfg.ClientID, p.cfg.Secret, callbackURL, e.AuthURL, e.TokenURL, e.ProfileURL, e.EmailURL, scopes...)
		g.HTTPClient = p.client
		gp = g
	case "facebook":
		g := facebook.New(p.cfg.ClientID, p.cfg.Secret, callbackURL, scopes...)
		g.HTTPClient = p.client
		gp = g
	case "linkedin":
		gp = newLinkedIn(p.cfg.ClientID, p.cfg.Secret, callbackURL, p.client, scopes...)
	case "spotify":
		g := spotify.New(p.cfg.ClientID, p.cfg.Secret, callbackURL, scopes...)
		g.HTTPClient = p.client
		gp = g
	}
	return gp
}

// authURL rewrites the provider's authorize URL to the override, if any.
func (p *oauthProvider) authURL(raw string) string {
	if p.overrides.AuthURL == "" {
		return raw
	}
	u, err := url.Parse(raw)
	o, err2 := url.Parse(p.overrides.AuthURL)
	if err != nil || err2 != nil {
		return raw
	}
	o.RawQuery = u.RawQuery
	return o.String()
}

// endpointKey identifies an endpoint by scheme, host and path.
func endpointKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Scheme+"://"+u.Host) + u.Path
}

// rewriter sends requests for known provider endpoints to their override
// URLs, keeping the query, so tests can play the provider locally.
type rewriter struct {
	base  http.RoundTripper
	rules map[string]string
}

// RoundTrip implements http.RoundTripper.
func (t *rewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	if len(t.rules) == 0 {
		return t.base.RoundTrip(r)
	}
	orig := *r.URL
	if orig.Opaque != "" {
		if u, err := url.Parse(orig.Scheme + ":" + orig.Opaque); err == nil {
			orig = *u
			if orig.RawQuery == "" {
				orig.RawQuery = r.URL.RawQuery
			}
		}
	}
	target, ok := t.rules[endpointKey(orig.Scheme+"://"+orig.Host+orig.Path)]
	if !ok {
		return t.base.RoundTrip(r)
	}
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	if orig.RawQuery != "" {
		if u.RawQuery != "" {
			u.RawQuery += "&"
		}
		u.RawQuery += orig.RawQuery
	}
	r2 := r.Clone(r.Context())
	r2.URL = u
	r2.Host = u.Host
	return t.base.RoundTrip(r2)
}
