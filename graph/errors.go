package graph

import (
	"errors"
	"fmt"
	"net/http"

	graphql "github.com/hasura/go-graphql-client"
)

// Sentinel errors of the note operations, wrapped with %w together with
// Hasura's message so the log keeps the detail.
var (
	// ErrUnauthenticated means the access token is invalid or expired.
	ErrUnauthenticated = errors.New("graph: unauthenticated")
	// ErrForbidden means the role may not do this (permission-error,
	// access-denied, or a root field missing from the role's schema).
	ErrForbidden = errors.New("graph: forbidden")
	// ErrNotFound means no visible row has that id.
	ErrNotFound = errors.New("graph: not found")
	// ErrConflict means a constraint was violated.
	ErrConflict = errors.New("graph: conflict")
	// ErrInvalid means the request was malformed (a bug, or a bad value).
	ErrInvalid = errors.New("graph: invalid request")
	// ErrUnavailable means the GraphQL API could not be reached or failed.
	ErrUnavailable = errors.New("graph: unavailable")
)

// codeErrors maps Hasura's extensions.code to a sentinel.
var codeErrors = map[string]error{
	"invalid-jwt":             ErrUnauthenticated,
	"jwt-invalid-claims":      ErrUnauthenticated,
	"jwt-missing-role-claims": ErrUnauthenticated,
	"invalid-headers":         ErrUnauthenticated,
	"access-denied":           ErrForbidden,
	"permission-error":        ErrForbidden,
	"validation-failed":       ErrForbidden,
	"constraint-violation":    ErrConflict,
	"constraint-error":        ErrConflict,
	"parse-failed":            ErrInvalid,
	"data-exception":          ErrInvalid,
	"bad-request":             ErrInvalid,
	"not-found":               ErrInvalid,
	"invalid-json":            ErrInvalid,
	"unexpected":              ErrUnavailable,
}

// mapError turns an error of go-graphql-client into a wrapped sentinel.
// validation-failed maps to ErrForbidden because, with Hasura's per-role
// schemas, a field the role may not use is reported as "not found in type".
func mapError(op string, err error) error {
	if err == nil {
		return nil
	}
	for _, s := range []error{ErrUnauthenticated, ErrUnavailable, ErrInvalid} {
		if errors.Is(err, s) {
			return fmt.Errorf("%s: %w", op, err) // Client.query mapped it already
		}
	}
	var errs graphql.Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
	}
	e := errs[0]
	code, _ := e.Extensions["code"].(string)
	if code == graphql.ErrRequestError {
		var ne graphql.NetworkError
		if errors.As(e, &ne) && ne.StatusCode() == http.StatusUnauthorized {
			return fmt.Errorf("%s: %w: %w", op, ErrUnauthenticated, err)
		}
	}
	if s, ok := codeErrors[code]; ok {
		return fmt.Errorf("%s: %w: %s (%s)", op, s, e.Message, code)
	}
	return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
}
