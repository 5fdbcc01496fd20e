package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"roster/infra/local/gateway/internal/echofn"
)

// invokeEcho invokes EchoFunction with an event for the echo handler's
// path and decodes the echo it answers.
func invokeEcho(t *testing.T, g *Gateway, payload string) echofn.Echo {
	t.Helper()
	out, err := g.Invoke(context.Background(), "EchoFunction", []byte(payload))
	if err != nil {
		t.Fatalf("Invoke(%s): got error %v, want none", payload, err)
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("response %s: %v", out, err)
	}
	var echo echofn.Echo
	if err := json.Unmarshal([]byte(resp.Body), &echo); err != nil {
		t.Fatalf("echo %s: %v", resp.Body, err)
	}
	return echo
}

func TestInvokeWarmReuse(t *testing.T) {
	e := newTestEnv(t, 2)
	first := invokeEcho(t, e.g, `{"rawPath":"/stream","Records":[{"eventName":"REMOVE"}]}`)
	second := invokeEcho(t, e.g, `{"rawPath":"/other"}`)
	if first.Event.RawPath != "/stream" || second.Event.RawPath != "/other" {
		t.Errorf("payloads seen: got %q, %q, want /stream, /other", first.Event.RawPath, second.Event.RawPath)
	}
	if first.PID != second.PID {
		t.Errorf("second pid: got %v, want %v (the warm process)", second.PID, first.PID)
	}
	if got := first.Env["AWS_LAMBDA_FUNCTION_NAME"]; got != "EchoFunction" {
		t.Errorf("AWS_LAMBDA_FUNCTION_NAME: got %q, want EchoFunction", got)
	}
	// HTTP requests and Invoke share the warm process.
	if r := e.do(t, "GET", "/api/echo", nil, nil); r.echo(t).PID != first.PID {
		t.Errorf("HTTP request pid: got %v, want %v", r.echo(t).PID, first.PID)
	}
	if live, started := e.g.Stats("EchoFunction"); live != 1 || started != 1 {
		t.Errorf("stats: got live %v started %v, want 1 and 1", live, started)
	}
}

func TestInvokeFailures(t *testing.T) {
	e := newTestEnv(t, 2)
	tests := []struct {
		name, function, payload string
		want                    error
		wantFunctionError       bool
		wantMsg                 string
	}{
		{"crash", "EchoFunction", `{"rawPath":"/api/exit"}`, ErrCrashed, false, "exited during the invocation"},
		{"timeout", "EchoFunction", `{"rawPath":"/api/sleep","queryStringParameters":{"ms":"5000"}}`, ErrTimeout, false, "timed out after 1s"},
		{"function error", "EchoFunction", `{"rawPath":"/api/error"}`, nil, true, "boom"},
		{"not JSON for the handler", "EchoFunction", `[1,2]`, nil, true, "cannot unmarshal"},
		{"unknown function", "NoSuchFunction", `{}`, ErrUnknownFunction, false, "NoSuchFunction"},
		{"missing binary", "MissingFunction", `{}`, ErrNotBuilt, false, "run make build"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			out, err := e.g.Invoke(context.Background(), tc.function, []byte(tc.payload))
			var fe *FunctionError
			switch {
			case tc.wantFunctionError && !errors.As(err, &fe):
				t.Errorf("got %v %s, want a *FunctionError", err, out)
			case !tc.wantFunctionError && !errors.Is(err, tc.want):
				t.Errorf("got %v %s, want %v", err, out, tc.want)
			case err != nil && !strings.Contains(err.Error(), tc.wantMsg):
				t.Errorf("message: got %q, want it to contain %q", err, tc.wantMsg)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v, want less than 3s", d)
			}
			if tc.function == "EchoFunction" {
				invokeEcho(t, e.g, `{"rawPath":"/after"}`)
			}
		})
	}
	if live, _ := e.g.Stats("EchoFunction"); live > 2 {
		t.Errorf("live processes: got %v, want at most 2 (failed ones discarded)", live)
	}
}

func TestInvokeInitErrorAndClose(t *testing.T) {
	e := newTestEnv(t, 2)
	if err := os.WriteFile(e.initFail, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := e.g.Invoke(context.Background(), "InitFailFunction", []byte(`{}`)); !errors.Is(err, ErrCrashed) {
		t.Errorf("init panic: got %v, want %v", err, ErrCrashed)
	}
	if err := e.g.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.g.Invoke(context.Background(), "EchoFunction", []byte(`{}`)); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: got %v, want %v", err, ErrClosed)
	}
}

func TestInvokeCancelled(t *testing.T) {
	e := newTestEnv(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := e.g.Invoke(ctx, "EchoFunction", []byte(`{"rawPath":"/api/sleep","queryStringParameters":{"ms":"800"}}`))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want %v", err, context.DeadlineExceeded)
	}
	invokeEcho(t, e.g, `{"rawPath":"/after"}`)
}
