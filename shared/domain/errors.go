// Package domain holds Roster's types and rules: users, accounts, memberships,
// invitations, permissions and the grant rules. It does no I/O, so every rule
// is testable on its own.
package domain

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in api.StatusOf; the code is what
// clients branch on, the message is what people read.
const (
	EInvalid         = "invalid"         // 400: malformed input
	EUnauthenticated = "unauthenticated" // 401: no or bad session
	ECodeRequired    = "code_required"   // 401: second factor needed
	EForbidden       = "forbidden"       // 403: authenticated, not allowed
	ENotFound        = "not_found"       // 404
	EConflict        = "conflict"        // 409: duplicate or state conflict
	EStale           = "stale_version"   // 409: optimistic concurrency lost
	EGone            = "gone"            // 410: expired invitation or link
	ETooLarge        = "too_large"       // 413
	EUnprocessable   = "unprocessable"   // 422: well-formed but refused by a rule
	ETooMany         = "rate_limited"    // 429
	EUnavailable     = "unavailable"     // 503
	EInternal        = "internal"        // 500: never shown in detail
)

// Error is the one error type that crosses the API. Code is one of the E*
// constants or a more specific code of the catalog (codes_catalog.go), whose
// status is given by Kind; Field names the input field at fault, if any.
// Build one from the catalog: CodeInvalidEmail.Field("email", "...").
type Error struct {
	Kind    string `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// RetryAfter is the number of seconds a rate-limited client should wait.
	RetryAfter int `json:"-"`
	// Current carries the current state on a stale-version conflict.
	Current any `json:"current,omitempty"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return e.Code + ": " + e.Message
}

// Errorf returns an Error of the given kind whose code is the kind itself.
func Errorf(kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: kind, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of err if it is (or wraps) an *Error, else EInternal.
func KindOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Kind == "" {
			return e.Code
		}
		return e.Kind
	}
	return EInternal
}

// AsError returns err as an *Error, or nil if it is not one.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
