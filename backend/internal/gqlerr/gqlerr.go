// Package gqlerr is the Hasura-shaped error every stage of the engine
// returns: a message, a JSON path and one of Hasura's error codes.
package gqlerr

import (
	"encoding/json"
	"fmt"
)

// Hasura error codes used by the engine.
const (
	ValidationFailed    = "validation-failed"
	ParseFailed         = "parse-failed"
	PermissionError     = "permission-error"
	ConstraintViolation = "constraint-violation"
	ConstraintError     = "constraint-error"
	DataException       = "data-exception"
	AccessDenied        = "access-denied"
	InvalidJWT          = "invalid-jwt"
	JWTInvalidClaims    = "jwt-invalid-claims"
	JWTMissingRoleClaim = "jwt-missing-role-claims"
	InvalidHeaders      = "invalid-headers"
	InvalidJSON         = "invalid-json"
	NotFound            = "not-found"
	NotSupported        = "not-supported"
	BadRequest          = "bad-request"
	Unexpected          = "unexpected"
)

// Error is one GraphQL error in Hasura's shape.
type Error struct {
	Message  string
	Path     string
	Code     string
	Internal any
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message + " at " + e.Path }

// New returns an error with the code, path and formatted message.
func New(code, path, format string, args ...any) *Error {
	return &Error{Code: code, Path: path, Message: fmt.Sprintf(format, args...)}
}

// Validation returns a validation-failed error.
func Validation(path, format string, args ...any) *Error {
	return New(ValidationFailed, path, format, args...)
}

type extensions struct {
	Path     string `json:"path"`
	Code     string `json:"code"`
	Internal any    `json:"internal,omitempty"`
}

type wire struct {
	Message    string     `json:"message"`
	Extensions extensions `json:"extensions"`
}

// Body returns the JSON response body {"errors":[...]} for the errors.
func Body(errs ...*Error) []byte {
	out := struct {
		Errors []wire `json:"errors"`
	}{}
	for _, e := range errs {
		out.Errors = append(out.Errors, wire{Message: e.Message, Extensions: extensions{Path: e.Path, Code: e.Code, Internal: e.Internal}})
	}
	b, _ := json.Marshal(out)
	return b
}
