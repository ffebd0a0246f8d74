package engine

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/notes-app/notes/backend/hasurajwt"
	"github.com/notes-app/notes/backend/internal/gqlerr"
)

// session is a resolved request identity.
type session struct {
	role        string
	vars        map[string]string
	backendOnly bool
	// admin is set when the admin secret was presented (or no auth is
	// configured): internal error details may be shown.
	admin bool
}

// hasuraHeaders returns the request's x-hasura-* headers, names lowercased.
func hasuraHeaders(h http.Header) map[string]string {
	vars := map[string]string{}
	for k, v := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-hasura-") && len(v) > 0 {
			vars[lk] = v[0]
		}
	}
	return vars
}

// resolveSession applies Hasura's role resolution (reference §7).
func (e *Engine) resolveSession(r *http.Request) (*session, *gqlerr.Error) {
	headers := hasuraHeaders(r.Header)
	secret, hasSecret := headers["x-hasura-admin-secret"]
	if !hasSecret {
		secret, hasSecret = headers["x-hasura-access-key"]
	}
	delete(headers, "x-hasura-admin-secret")
	delete(headers, "x-hasura-access-key")
	trusted := func() (*session, *gqlerr.Error) {
		s := &session{role: "admin", vars: headers, admin: true}
		if role, ok := headers["x-hasura-role"]; ok && role != "" {
			s.role = role
		}
		if v, ok := headers["x-hasura-use-backend-only-permissions"]; ok {
			b, valid := parseHasuraBool(v)
			if !valid {
				return nil, gqlerr.New(gqlerr.BadRequest, "$", "invalid value for x-hasura-use-backend-only-permissions: %q", v)
			}
			s.backendOnly = b
		}
		s.vars["x-hasura-role"] = s.role
		return s, nil
	}
	unauthorized := func() *session {
		vars := headers
		vars["x-hasura-role"] = e.opts.UnauthorizedRole
		return &session{role: e.opts.UnauthorizedRole, vars: vars}
	}
	if e.opts.AdminSecret == "" {
		return trusted()
	}
	if hasSecret {
		if subtle.ConstantTimeCompare([]byte(secret), []byte(e.opts.AdminSecret)) != 1 {
			return nil, gqlerr.New(gqlerr.AccessDenied, "$", `invalid "x-hasura-admin-secret"/"x-hasura-access-key"`)
		}
		return trusted()
	}
	if e.jwt == nil {
		if e.opts.UnauthorizedRole != "" {
			return unauthorized(), nil
		}
		return nil, gqlerr.New(gqlerr.AccessDenied, "$", `"x-hasura-admin-secret"/"x-hasura-access-key" required, but not found`)
	}
	token, found, gerr := e.findToken(r)
	if gerr != nil {
		return nil, gerr
	}
	if !found {
		if e.opts.UnauthorizedRole != "" {
			return unauthorized(), nil
		}
		return nil, gqlerr.New(gqlerr.InvalidHeaders, "$", "Missing 'Authorization' or 'Cookie' header in JWT authentication mode")
	}
	claims, err := e.jwt.Verify(token, e.opts.Now())
	if err != nil {
		var je *hasurajwt.Error
		if errors.As(err, &je) {
			return nil, gqlerr.New(je.Code, "$", "%s", je.Message)
		}
		return nil, gqlerr.New(gqlerr.InvalidJWT, "$", "Could not verify JWT: %s", err.Error())
	}
	role := claims.DefaultRole
	if h, ok := headers["x-hasura-role"]; ok && h != "" {
		role = h
	}
	if !slices.Contains(claims.AllowedRoles, role) {
		return nil, gqlerr.New(gqlerr.AccessDenied, "$", "Your requested role is not in allowed roles")
	}
	vars := map[string]string{}
	for k, v := range claims.Vars {
		vars[strings.ToLower(k)] = v
	}
	vars["x-hasura-role"] = role
	return &session{role: role, vars: vars}, nil
}

// findToken reads the JWT from where the configuration says.
func (e *Engine) findToken(r *http.Request) (string, bool, *gqlerr.Error) {
	switch e.jwt.Header {
	case "Cookie":
		c, err := r.Cookie(e.jwt.HeaderName)
		if err != nil {
			return "", false, nil
		}
		return c.Value, true, nil
	case "CustomHeader":
		v := r.Header.Get(e.jwt.HeaderName)
		return v, v != "", nil
	}
	auths := r.Header.Values("Authorization")
	if len(auths) == 0 {
		return "", false, nil
	}
	if len(auths) > 1 {
		return "", false, gqlerr.New(gqlerr.InvalidHeaders, "$", "Could not verify JWT: Multiple JWTs found")
	}
	scheme, tok, ok := strings.Cut(strings.TrimSpace(auths[0]), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false, gqlerr.New(gqlerr.InvalidHeaders, "$", "Malformed Authorization header")
	}
	return strings.TrimSpace(tok), true, nil
}

func parseHasuraBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "yes", "y":
		return true, true
	case "false", "f", "no", "n":
		return false, true
	}
	return false, false
}
