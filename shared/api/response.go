// Package api turns API Gateway v2 HTTP events into handler calls and handler
// results into responses: JSON bodies, the one error writer, cookies, the
// CSRF Origin check, and the per-invocation log line with its cost.
package api

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/aws/aws-lambda-go/events"

	"roster/shared/domain"
)

// Request and Response are API Gateway v2 (HTTP API, payload 2.0) events.
type (
	Request  = events.APIGatewayV2HTTPRequest
	Response = events.APIGatewayV2HTTPResponse
)

// statusOf maps error kinds to HTTP status codes: the one table.
var statusOf = map[string]int{
	domain.EInvalid:         http.StatusBadRequest,
	domain.EUnauthenticated: http.StatusUnauthorized,
	domain.ECodeRequired:    http.StatusUnauthorized,
	domain.EForbidden:       http.StatusForbidden,
	domain.ENotFound:        http.StatusNotFound,
	domain.EConflict:        http.StatusConflict,
	domain.EStale:           http.StatusConflict,
	domain.EGone:            http.StatusGone,
	domain.ETooLarge:        http.StatusRequestEntityTooLarge,
	domain.EUnprocessable:   http.StatusUnprocessableEntity,
	domain.ETooMany:         http.StatusTooManyRequests,
	domain.EUnavailable:     http.StatusServiceUnavailable,
	domain.EInternal:        http.StatusInternalServerError,
}

// Kinds returns every error kind, sorted.
func Kinds() []string {
	out := make([]string, 0, len(statusOf))
	for k := range statusOf {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// StatusOf returns the HTTP status for an error kind.
func StatusOf(kind string) int {
	if s, ok := statusOf[kind]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// JSON returns a response with v encoded as the JSON body.
func JSON(status int, v any) Response {
	body, err := json.Marshal(v)
	if err != nil {
		return Error(context.Background(), err)
	}
	return Response{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"},
		Body:       string(body),
	}
}

// NoContent returns 204.
func NoContent() Response {
	return Response{StatusCode: http.StatusNoContent, Headers: map[string]string{"Cache-Control": "no-store"}}
}

type errorBody struct {
	Error *domain.Error `json:"error"`
}

// Error is the one writer of error responses. A *domain.Error is shown as it
// is; anything else is logged with the request's context and shown as a bare
// internal error, so that no internal detail reaches a client.
func Error(ctx context.Context, err error) Response {
	e := domain.AsError(err)
	if e == nil {
		Logger(ctx).ErrorContext(ctx, "internal error", "err", err.Error())
		e = domain.Errorf(domain.EInternal, "Something went wrong on our side. Please try again.")
	}
	kind := e.Kind
	if kind == "" {
		kind = e.Code
	}
	r := JSON(StatusOf(kind), errorBody{e})
	if e.RetryAfter > 0 {
		r.Headers["Retry-After"] = strconv.Itoa(e.RetryAfter)
	}
	return r
}

// OK answers 200 with v as JSON, or returns err: the end of most handlers,
// return api.OK(svc.Get(...)).
func OK[T any](v T, err error) (Response, error) {
	if err != nil {
		return Response{}, err
	}
	return JSON(http.StatusOK, v), nil
}
