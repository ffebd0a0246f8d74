package authserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

// decodeJSON reads a JSON request body of at most maxBodyBytes into v.
// Malformed JSON, wrong types, trailing data and oversized bodies are all
// invalid-request: a client mistake is never a 500.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any, optional bool) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil { // too large (http.MaxBytesError) or cut short
		return &apiError{code: errInvalidRequest, cause: err}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return fail(errInvalidRequest)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return &apiError{code: errInvalidRequest, cause: err}
	}
	if dec.More() {
		return fail(errInvalidRequest)
	}
	return nil
}

// emailPattern is the check of Postgres's auth.email domain, so what passes
// here also passes the database.
var emailPattern = regexp.MustCompile("^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")

// normalizeEmail trims and lowercases an address and checks its form.
func normalizeEmail(raw string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(raw))
	if len(e) > 254 || !emailPattern.MatchString(e) {
		return "", fail(errInvalidRequest)
	}
	return e, nil
}

var phonePattern = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// normalizePhone drops spaces, dashes and brackets and requires E.164.
func normalizePhone(raw string) (string, error) {
	p := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '(', ')', '.':
			return -1
		}
		return r
	}, strings.TrimSpace(raw))
	if !phonePattern.MatchString(p) {
		return "", fail(errInvalidRequest)
	}
	return p, nil
}

// emailAllowed applies the AUTH_ACCESS_CONTROL_* lists: a blocked email
// beats an allowed email, which beats a blocked domain, which beats an
// allowed domain; any allow-list rejects what it does not name.
func (s *Server) emailAllowed(email string) bool {
	c := s.cfg
	domain := email[strings.LastIndexByte(email, '@')+1:]
	switch {
	case contains(c.BlockedEmails, email):
		return false
	case contains(c.AllowedEmails, email):
		return true
	case contains(c.BlockedEmailDomains, domain):
		return false
	case contains(c.AllowedEmailDomains, domain):
		return true
	}
	return len(c.AllowedEmails) == 0 && len(c.AllowedEmailDomains) == 0
}

// signUpOptions is the contract's SignUpOptions.
type signUpOptions struct {
	AllowedRoles []string        `json:"allowedRoles"`
	DefaultRole  string          `json:"defaultRole"`
	DisplayName  string          `json:"displayName"`
	Locale       string          `json:"locale"`
	Metadata     json.RawMessage `json:"metadata"`
	RedirectTo   string          `json:"redirectTo"`
}

// redirectOptions is the contract's OptionsRedirectTo.
type redirectOptions struct {
	RedirectTo string `json:"redirectTo"`
}

// profile is SignUpOptions after defaults and checks.
type profile struct {
	Roles       []string
	DefaultRole string
	DisplayName string
	Locale      string
	Metadata    []byte
	RedirectTo  string
}

var displayNamePattern = regexp.MustCompile(`^[\p{L}\p{N}\p{S} ,.'-]+$`)

// resolve checks the options in Nhost's order and fills the defaults;
// fallbackName is the display name when none is given.
func (s *Server) resolve(o *signUpOptions, fallbackName string) (profile, error) {
	var err error
	if o == nil {
		o = &signUpOptions{}
	}
	p := profile{
		Roles:       o.AllowedRoles,
		DefaultRole: o.DefaultRole,
		DisplayName: strings.TrimSpace(o.DisplayName),
		Locale:      o.Locale,
		Metadata:    o.Metadata,
	}
	if len(p.Roles) == 0 {
		p.Roles = append([]string{}, s.cfg.DefaultAllowedRoles...)
	}
	for _, role := range p.Roles {
		if !contains(s.cfg.DefaultAllowedRoles, role) {
			return p, fail(errRoleNotAllowed)
		}
	}
	if p.DefaultRole == "" {
		p.DefaultRole = s.cfg.DefaultRole
	}
	if !contains(p.Roles, p.DefaultRole) {
		return p, fail(errDefaultRoleNotAllowed)
	}
	if p.DisplayName == "" {
		p.DisplayName = fallbackName
	} else if utf8.RuneCountInString(p.DisplayName) > 32 || !displayNamePattern.MatchString(p.DisplayName) {
		return p, fail(errInvalidRequest)
	}
	if p.Locale != "" && (len(p.Locale) < 2 || len(p.Locale) > 3) {
		return p, fail(errInvalidRequest)
	}
	if !contains(s.cfg.AllowedLocales, p.Locale) {
		p.Locale = s.cfg.LocaleDefault
	}
	if p.Metadata, err = metadataObject(p.Metadata); err != nil {
		return p, err
	}
	to, err := s.redirectTarget(o.RedirectTo)
	if err != nil {
		return p, err
	}
	p.RedirectTo = to
	return p, nil
}

// metadataObject checks free-form metadata: absent or null gives nil, an
// object comes back compacted, anything else is invalid-request. Postgres
// jsonb refuses \u0000, so that is refused here too.
func metadataObject(raw json.RawMessage) ([]byte, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var obj map[string]any
	if json.Unmarshal(raw, &obj) != nil || bytes.Contains(raw, []byte(`\u0000`)) {
		return nil, fail(errInvalidRequest)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, fail(errInvalidRequest)
	}
	return buf.Bytes(), nil
}
