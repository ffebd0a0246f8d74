package authserver

import (
	"encoding/json"
	"net/http"
	"time"
)

// errorCode is a wire error code of Nhost's ErrorResponse
// {"status", "message", "error"}. Every code this server sends is in
// errorTable; the spellings (redirectTo-not-allowed,
// oauth-token-echange-failed) are part of the contract.
type errorCode string

const (
	errDefaultRoleNotAllowed errorCode = "default-role-must-be-in-allowed-roles"
	errDisabledEndpoint      errorCode = "disabled-endpoint"
	errDisabledUser          errorCode = "disabled-user"
	errEmailAlreadyInUse     errorCode = "email-already-in-use"
	errUserAlreadyExists     errorCode = "user-already-exists"
	errEmailAlreadyVerified  errorCode = "email-already-verified"
	errForbiddenAnonymous    errorCode = "forbidden-anonymous"
	errInternal              errorCode = "internal-server-error"
	errInvalidEmailPassword  errorCode = "invalid-email-password"
	errInvalidRequest        errorCode = "invalid-request"
	errPasswordTooShort      errorCode = "password-too-short"
	errRedirectToNotAllowed  errorCode = "redirectTo-not-allowed"
	errRoleNotAllowed        errorCode = "role-not-allowed"
	errSignupDisabled        errorCode = "signup-disabled"
	errUnverifiedUser        errorCode = "unverified-user"
	errUserNotAnonymous      errorCode = "user-not-anonymous"
	errInvalidRefreshToken   errorCode = "invalid-refresh-token"
	errInvalidPAT            errorCode = "invalid-pat"
	errInvalidTicket         errorCode = "invalid-ticket"
	errInvalidState          errorCode = "invalid-state"
	errOAuthTokenExchange    errorCode = "oauth-token-echange-failed"
	errOAuthProfileFetch     errorCode = "oauth-profile-fetch-failed"
	errOAuthProvider         errorCode = "oauth-provider-error"
	errCannotSendSMS         errorCode = "cannot-send-sms"
	errInvalidOTP            errorCode = "invalid-otp"
	errOTPTooManyAttempts    errorCode = "otp-too-many-attempts"
	errProviderAccountLinked errorCode = "provider-account-already-linked"
	errTooManyRequests       errorCode = "too-many-requests"
	errUnauthorized          errorCode = "unauthorized"
	errRouteNotFound         errorCode = "route-not-found"
	errDisabledMFATOTP       errorCode = "disabled-mfa-totp"
	errNoTOTPSecret          errorCode = "no-totp-secret"
	errInvalidTOTP           errorCode = "invalid-totp"
	errMFATypeNotFound       errorCode = "mfa-type-not-found"
	errTOTPAlreadyActive     errorCode = "totp-already-active"
)

// errorInfo is one row of errorTable.
type errorInfo struct {
	status  int
	message string
	// sensitive codes turn into invalid-request under AUTH_CONCEAL_ERRORS.
	sensitive bool
}

// errorTable is the one place that maps wire codes to statuses and texts.
var errorTable = map[errorCode]errorInfo{
	errDefaultRoleNotAllowed: {http.StatusBadRequest, "Default role must be in allowed roles", false},
	errDisabledEndpoint:      {http.StatusConflict, "This endpoint is disabled", false},
	errDisabledUser:          {http.StatusUnauthorized, "User is disabled", true},
	errEmailAlreadyInUse:     {http.StatusConflict, "Email already in use", true},
	errUserAlreadyExists:     {http.StatusConflict, "User already exists", true},
	errEmailAlreadyVerified:  {http.StatusBadRequest, "User's email is already verified", true},
	errForbiddenAnonymous:    {http.StatusForbidden, "Forbidden, user is anonymous.", true},
	errInternal:              {http.StatusInternalServerError, "Internal server error", false},
	errInvalidEmailPassword:  {http.StatusUnauthorized, "Incorrect email or password", true},
	errInvalidRequest:        {http.StatusBadRequest, "The request payload is incorrect", false},
	errPasswordTooShort:      {http.StatusBadRequest, "Password is too short", false},
	errRedirectToNotAllowed:  {http.StatusBadRequest, `The value of "options.redirectTo" is not allowed.`, false},
	errRoleNotAllowed:        {http.StatusBadRequest, "Role not allowed", true},
	errSignupDisabled:        {http.StatusForbidden, "Sign up is disabled.", true},
	errUnverifiedUser:        {http.StatusUnauthorized, "User is not verified.", true},
	errUserNotAnonymous:      {http.StatusBadRequest, "Logged in user is not anonymous", false},
	errInvalidRefreshToken:   {http.StatusUnauthorized, "Invalid or expired refresh token", true},
	errInvalidPAT:            {http.StatusUnauthorized, "Invalid or expired personal access token", true},
	errInvalidTicket:         {http.StatusUnauthorized, "Invalid ticket", true},
	errInvalidState:          {http.StatusBadRequest, "Invalid state", false},
	errOAuthTokenExchange:    {http.StatusBadRequest, "Failed to exchange token", false},
	errOAuthProfileFetch:     {http.StatusBadRequest, "Failed to get user profile", false},
	errOAuthProvider:         {http.StatusBadRequest, "Provider returned an error", false},
	errCannotSendSMS:         {http.StatusBadRequest, "Cannot send SMS, check your phone number is correct", false},
	errInvalidOTP:            {http.StatusBadRequest, "Invalid or expired OTP", true},
	errOTPTooManyAttempts:    {http.StatusBadRequest, "Too many incorrect attempts, please request a new OTP", true},
	errProviderAccountLinked: {http.StatusBadRequest, "This provider account is already linked to a user", false},
	errTooManyRequests:       {http.StatusTooManyRequests, "Too many requests, try again later", false},
	errUnauthorized:          {http.StatusUnauthorized, "Unauthorized", false},
	errRouteNotFound:         {http.StatusNotFound, "Route not found", false},
	errDisabledMFATOTP:       {http.StatusUnauthorized, "User does not have TOTP MFA enabled", true},
	errNoTOTPSecret:          {http.StatusBadRequest, "User does not have a TOTP secret", true},
	errInvalidTOTP:           {http.StatusUnauthorized, "Invalid TOTP code", true},
	errMFATypeNotFound:       {http.StatusBadRequest, "MFA type not found", false},
	errTOTPAlreadyActive:     {http.StatusBadRequest, "TOTP MFA is already active", false},
}

// errorResponse is Nhost's ErrorResponse body.
type errorResponse struct {
	Status  int       `json:"status"`
	Message string    `json:"message"`
	Error   errorCode `json:"error"`
}

// apiError carries a wire code up from the code that found the problem to
// the handler's single exit. cause, when set, is logged, never sent.
type apiError struct {
	code  errorCode
	cause error
	// retryAfter, for too-many-requests, becomes the Retry-After header.
	retryAfter time.Duration
}

func (e *apiError) Error() string {
	if e.cause != nil {
		return string(e.code) + ": " + e.cause.Error()
	}
	return string(e.code)
}

func (e *apiError) Unwrap() error { return e.cause }

// fail returns an apiError for code.
func fail(code errorCode) error { return &apiError{code: code} }

// internal wraps an unexpected failure as internal-server-error.
func internal(err error) error { return &apiError{code: errInternal, cause: err} }

// response returns the body to send for code, honouring AUTH_CONCEAL_ERRORS.
func (s *Server) response(code errorCode) errorResponse {
	info, ok := errorTable[code]
	if !ok {
		code, info = errInternal, errorTable[errInternal]
	}
	if info.sensitive && s.cfg.ConcealErrors {
		code, info = errInvalidRequest, errorTable[errInvalidRequest]
	}
	return errorResponse{Status: info.status, Message: info.message, Error: code}
}

// unauthorizedBody is the validation layer's 401 for a missing or bad
// bearer token (contract §2.2, newer shape).
type unauthorizedBody struct {
	Error          string `json:"error"`
	Reason         string `json:"reason"`
	SecurityScheme string `json:"securityScheme"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeOK sends the contract's bare JSON string "OK".
func writeOK(w http.ResponseWriter) { writeJSON(w, http.StatusOK, "OK") }
