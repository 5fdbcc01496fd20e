package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"time"
)

// Errors of Invoke, to be matched with errors.Is.
var (
	// ErrUnknownFunction means the template has no function of that logical ID.
	ErrUnknownFunction = errors.New("gateway: unknown function")
	// ErrNotBuilt means the function's bootstrap binary does not exist.
	ErrNotBuilt = errors.New("gateway: function not built")
	// ErrTimeout means the function ran past its timeout; its process was stopped.
	ErrTimeout = errTimeout
	// ErrCrashed means the function's process failed during init or exited
	// during the invocation.
	ErrCrashed = errCrashed
	// ErrClosed means the gateway is shutting down.
	ErrClosed = errClosed
)

// FunctionError is an invocation error the function itself reported
// (Lambda's "Unhandled" and friends), with its error document.
type FunctionError struct {
	// Function is the function's logical ID.
	Function string
	// Type is the Lambda function error type, e.g. "Unhandled".
	Type string
	// Message is the errorType and errorMessage of the function's error document.
	Message string
	// Body is the error document as the function sent it.
	Body []byte
}

// Error describes the function error.
func (e *FunctionError) Error() string {
	return fmt.Sprintf("gateway: function %s returned an error (%s): %s", e.Function, e.Type, e.Message)
}

// Invoke runs the function with the given logical ID on an arbitrary event
// payload, as Lambda's synchronous Invoke does, and returns the function's
// response payload. It uses the same warm processes, Runtime API, init
// limit, timeout and crash handling as the HTTP routes: a process that
// times out or crashes is stopped and the next invocation starts a new one.
// A function's own error comes back as a *FunctionError; a timeout, a crash,
// a missing binary, an unknown function and a closing gateway as errors
// matching ErrTimeout, ErrCrashed, ErrNotBuilt, ErrUnknownFunction and
// ErrClosed.
func (g *Gateway) Invoke(ctx context.Context, logicalID string, payload []byte) ([]byte, error) {
	g.inflight.RLock()
	defer g.inflight.RUnlock()
	f, ok := g.functions[logicalID]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownFunction, logicalID)
	}
	requestID := newRequestID()
	in, _, err := f.acquire(ctx)
	if err != nil {
		var nb *notBuiltError
		switch {
		case errors.As(err, &nb):
			return nil, fmt.Errorf("%w: %s: no bootstrap at %s; run make build", ErrNotBuilt, nb.function, nb.path)
		case errors.Is(err, errClosed), ctx.Err() != nil:
			return nil, err
		default:
			g.log.Error("function init failed", slog.String("function", f.name), slog.String("error", err.Error()), slog.String("request_id", requestID))
			return nil, fmt.Errorf("gateway: function %s failed to start: %w", f.name, err)
		}
	}
	now := time.Now()
	inv := &invocation{
		id:       requestID,
		payload:  payload,
		deadline: now.Add(f.timeout),
		arn:      f.arn,
		traceID:  newTraceID(now),
		done:     make(chan result, 1),
	}
	res, err := in.invoke(ctx, inv)
	if err != nil {
		f.release(in, false)
		switch {
		case errors.Is(err, errTimeout):
			return nil, fmt.Errorf("gateway: function %s timed out after %v; its process was stopped: %w", f.name, f.timeout, err)
		case ctx.Err() != nil:
			return nil, err
		default:
			g.log.Error("function crashed", slog.String("function", f.name), slog.String("error", err.Error()), slog.String("request_id", requestID))
			return nil, fmt.Errorf("gateway: function %s: %w", f.name, err)
		}
	}
	f.release(in, true)
	if res.errType != "" {
		return nil, &FunctionError{Function: f.name, Type: res.errType, Message: errorMessage(res.body), Body: res.body}
	}
	return res.body, nil
}

// Ready starts one more process of the function with the given logical ID,
// waits until it asks for its first invocation, keeps it warm and returns
// how long that took: the function's init, as Lambda's Init Duration
// reports it. It returns the errors of Invoke's start.
func (g *Gateway) Ready(ctx context.Context, logicalID string) (time.Duration, error) {
	f, ok := g.functions[logicalID]
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrUnknownFunction, logicalID)
	}
	in, err := f.start(ctx)
	var nb *notBuiltError
	switch {
	case errors.As(err, &nb):
		return 0, fmt.Errorf("%w: %s: no bootstrap at %s; run make build", ErrNotBuilt, nb.function, nb.path)
	case err != nil:
		return 0, fmt.Errorf("gateway: function %s failed to start: %w", f.name, err)
	}
	f.mu.Lock()
	f.idle = append(f.idle, in) // warm; no invocation holds a concurrency slot
	f.mu.Unlock()
	return in.initDur, nil
}

// Functions returns the logical IDs of the template's functions, sorted.
func (g *Gateway) Functions() []string {
	out := make([]string, 0, len(g.functions))
	for id := range g.functions {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Event returns the API Gateway event the gateway would hand a function for
// r, and the function's logical ID, so that a caller can invoke the same
// function directly with the same event (roster-bench compares the two).
// It reads r's body. It returns ErrUnknownFunction when no route matches.
func (g *Gateway) Event(r *http.Request) (string, []byte, error) {
	m, ok := g.router.lookup(r.Method, r.URL.EscapedPath())
	if !ok {
		return "", nil, fmt.Errorf("%w: no route for %s %s", ErrUnknownFunction, r.Method, r.URL.Path)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes))
	if err != nil {
		return "", nil, err
	}
	event := buildEvent(r, m, body, newRequestID(), time.Now())
	return m.route.function, appendEvent(nil, &event), nil
}
