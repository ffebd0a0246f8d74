package authserver

import (
	"net/http"
	"net/url"
	"path"
	"strings"
)

// redirectTarget applies the redirect allow-list (contract §9.2) to a
// requested redirectTo; empty means AUTH_CLIENT_URL.
func (s *Server) redirectTarget(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		if s.cfg.ClientURL != "" {
			return s.cfg.ClientURL, nil
		}
		return "/", nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "" && (u.Scheme == "http" || u.Scheme == "https")) {
		return "", fail(errRedirectToNotAllowed)
	}
	entries := s.cfg.AllowedRedirectURLs
	if s.cfg.ClientURL != "" {
		entries = append([]string{s.cfg.ClientURL}, entries...)
	}
	if len(entries) == 0 {
		return raw, nil
	}
	for _, e := range entries {
		if redirectMatches(e, u) {
			return raw, nil
		}
	}
	return "", fail(errRedirectToNotAllowed)
}

// redirectMatches reports whether u is allowed by the glob entry: same
// scheme and port (default ports may be omitted), a host whose "*" labels
// match one DNS label each, and a path at or below the entry's path, whose
// "*" segments match one segment and "**" any rest.
func redirectMatches(entry string, u *url.URL) bool {
	e, err := url.Parse(strings.TrimSpace(entry))
	if err != nil || !strings.EqualFold(e.Scheme, u.Scheme) {
		return false
	}
	if !hostMatches(e, u) {
		return false
	}
	ep, up := e.Path, u.Path
	if e.Opaque != "" || u.Opaque != "" {
		ep, up = e.Opaque, u.Opaque
	}
	return pathMatches(segments(ep), segments(up))
}

func hostMatches(e, u *url.URL) bool {
	if portOf(e) != portOf(u) {
		return false
	}
	el := strings.Split(strings.ToLower(e.Hostname()), ".")
	ul := strings.Split(strings.ToLower(u.Hostname()), ".")
	if len(el) != len(ul) {
		return false
	}
	for i := range el {
		if el[i] == "*" {
			if ul[i] == "" {
				return false
			}
			continue
		}
		if ok, _ := path.Match(el[i], ul[i]); !ok {
			return false
		}
	}
	return true
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

func segments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// pathMatches matches the entry's segments as a prefix of the target's.
func pathMatches(entry, target []string) bool {
	for i, seg := range entry {
		if seg == "**" {
			return true
		}
		if i >= len(target) {
			return seg == "*" && i == len(entry)-1
		}
		if ok, _ := path.Match(seg, target[i]); !ok {
			return false
		}
	}
	return true
}

// redirectWith returns target with params added to its query, keeping the
// query it already has.
func redirectWith(target string, params url.Values) string {
	u, err := url.Parse(target)
	if err != nil {
		return target
	}
	q := u.Query()
	for k, vs := range params {
		q.Del(k)
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// redirectError sends the browser to target with the contract's error and
// errorDescription parameters.
func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, target string, code errorCode) {
	body := s.response(code)
	http.Redirect(w, r, redirectWith(target, url.Values{
		"error":            {string(body.Error)},
		"errorDescription": {body.Message},
	}), http.StatusFound)
}
