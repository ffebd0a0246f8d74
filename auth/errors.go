package auth

import (
	"errors"
	"fmt"
	"net/http"
)

// Sentinel errors returned by the Client. Each is wrapped with %w together
// with the server's code and message, so errors.Is works and the log keeps
// the detail.
var (
	// ErrUnauthenticated means the token or refresh token is missing, invalid
	// or expired: the caller must sign in again.
	ErrUnauthenticated = errors.New("auth: unauthenticated")
	// ErrInvalidCredentials means a wrong email, password, code or ticket.
	ErrInvalidCredentials = errors.New("auth: invalid credentials")
	// ErrUnverified means the email (or phone) is not verified yet.
	ErrUnverified = errors.New("auth: not verified")
	// ErrConflict means the account already exists or is already verified.
	ErrConflict = errors.New("auth: conflict")
	// ErrDisabled means the user or the endpoint is disabled.
	ErrDisabled = errors.New("auth: disabled")
	// ErrForbidden means the server refused the operation for this user.
	ErrForbidden = errors.New("auth: forbidden")
	// ErrInvalidInput means the server rejected the request's fields
	// (password too short, bad phone number, redirect not allowed...).
	ErrInvalidInput = errors.New("auth: invalid input")
	// ErrRateLimited means the server asked the client to slow down.
	ErrRateLimited = errors.New("auth: rate limited")
	// ErrMFARequired means the account needs a second factor this app does not offer.
	ErrMFARequired = errors.New("auth: second factor required")
	// ErrUnavailable means the auth service could not be reached or failed.
	ErrUnavailable = errors.New("auth: service unavailable")
)

// APIError is the Nhost error body {status, message, error}.
type APIError struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
	Code    string `json:"error"`
}

// Error returns the code and message as the server sent them.
func (e *APIError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

// codeErrors maps every Nhost error code the app meets to a sentinel.
// Both the baseline and the newer spellings are listed.
var codeErrors = map[string]error{
	"invalid-email-password":                ErrInvalidCredentials,
	"invalid-ticket":                        ErrInvalidCredentials,
	"invalid-otp":                           ErrInvalidCredentials,
	"invalid-totp":                          ErrInvalidCredentials,
	"otp-too-many-attempts":                 ErrRateLimited,
	"unverified-user":                       ErrUnverified,
	"email-already-in-use":                  ErrConflict,
	"user-already-exists":                   ErrConflict,
	"email-already-verified":                ErrConflict,
	"provider-account-already-linked":       ErrConflict,
	"disabled-user":                         ErrDisabled,
	"disabled-endpoint":                     ErrDisabled,
	"signup-disabled":                       ErrDisabled,
	"forbidden-anonymous":                   ErrForbidden,
	"role-not-allowed":                      ErrForbidden,
	"invalid-refresh-token":                 ErrUnauthenticated,
	"invalid-pat":                           ErrUnauthenticated,
	"unauthorized":                          ErrUnauthenticated,
	"password-too-short":                    ErrInvalidInput,
	"password-in-hibp-database":             ErrInvalidInput,
	"redirectTo-not-allowed":                ErrInvalidInput,
	"default-role-must-be-in-allowed-roles": ErrInvalidInput,
	"locale-not-allowed":                    ErrInvalidInput,
	"cannot-send-sms":                       ErrInvalidInput,
	"invalid-request":                       ErrInvalidInput,
	"schema-validation-error":               ErrInvalidInput,
	"request-validation-error":              ErrInvalidInput,
	"internal-server-error":                 ErrUnavailable,
}

// mapError turns a non-2xx response into a wrapped sentinel.
func mapError(status int, body *APIError) error {
	if body.Status == 0 {
		body.Status = status
	}
	if s, ok := codeErrors[body.Code]; ok {
		return fmt.Errorf("%w: %w", s, body)
	}
	switch {
	case status == http.StatusUnauthorized:
		return fmt.Errorf("%w: %w", ErrUnauthenticated, body)
	case status == http.StatusForbidden:
		return fmt.Errorf("%w: %w", ErrForbidden, body)
	case status == http.StatusConflict:
		return fmt.Errorf("%w: %w", ErrConflict, body)
	case status == http.StatusTooManyRequests:
		return fmt.Errorf("%w: %w", ErrRateLimited, body)
	case status >= 500:
		return fmt.Errorf("%w: %w", ErrUnavailable, body)
	default:
		return fmt.Errorf("%w: %w", ErrInvalidInput, body)
	}
}
