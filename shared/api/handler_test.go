package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"roster/shared/domain"
	"roster/shared/telemetry"
)

func request(method, origin string) Request {
	r := Request{RouteKey: method + " /api/x", Headers: map[string]string{}, Body: `{"token":"secret-token"}`, RawQueryString: "token=secret-query"}
	r.RequestContext.HTTP = events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: "/api/x"}
	r.RequestContext.RequestID = "req-1"
	r.Cookies = []string{"session=secret-cookie"}
	if origin != "" {
		r.Headers["origin"] = origin
	}
	return r
}

func TestWrap(t *testing.T) {
	const site = "https://roster.example.com"
	ok := func(ctx context.Context, _ Request) (Response, error) {
		telemetry.FromContext(ctx).Add(telemetry.Call{Op: "GetItem", RCU: 0.5})
		return JSON(200, map[string]string{"a": "b"}), nil
	}
	tests := []struct {
		name       string
		req        Request
		h          HandlerFunc
		wantStatus int
		wantCode   string
	}{
		{"get without origin", request("GET", ""), ok, 200, ""},
		{"post from the site", request("POST", site), ok, 200, ""},
		{"post from the site with slash", request("POST", site+"/"), ok, 200, ""},
		{"post from elsewhere", request("POST", "https://evil.example"), ok, 403, "bad_origin"},
		{"delete without origin", request("DELETE", ""), ok, 403, "bad_origin"},
		{"domain error", request("GET", ""), func(context.Context, Request) (Response, error) {
			return Response{}, domain.CodeInvalidEmail.Field("email", "Enter a valid email address.")
		}, 400, "invalid_email"},
		{"internal error hidden", request("GET", ""), func(context.Context, Request) (Response, error) {
			return Response{}, errors.New("dynamodb: connection refused to 10.0.0.1")
		}, 500, "internal"},
		{"panic", request("GET", ""), func(context.Context, Request) (Response, error) { panic("boom") }, 500, "internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			h := Wrap("test", Options{SiteURL: site, ServerTiming: true, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}, tt.h)
			resp, err := h(context.Background(), tt.req)
			if err != nil {
				t.Fatalf("handler returned an error: %v", err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status: got %d, want %d (%s)", resp.StatusCode, tt.wantStatus, resp.Body)
			}
			if tt.wantCode != "" {
				var body struct {
					Error struct{ Code, Message string }
				}
				_ = json.Unmarshal([]byte(resp.Body), &body)
				if body.Error.Code != tt.wantCode {
					t.Errorf("code: got %q, want %q", body.Error.Code, tt.wantCode)
				}
				if strings.Contains(resp.Body, "10.0.0.1") {
					t.Errorf("internal detail leaked: %s", resp.Body)
				}
			}
			if !strings.HasPrefix(resp.Headers["Server-Timing"], "ddb;") {
				t.Errorf("Server-Timing: got %q, want the ddb metric", resp.Headers["Server-Timing"])
			}
			// Exactly one request line, whatever happened, with no secret in any line.
			var requestLines int
			for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatalf("log line is not JSON: %q", line)
				}
				if m["msg"] == "request" {
					requestLines++
					if m["requestId"] != "req-1" || m["route"] != tt.req.RouteKey || m["status"] != float64(tt.wantStatus) || m["ddb"] == nil {
						t.Errorf("request line: got %v", m)
					}
				}
			}
			if requestLines != 1 {
				t.Errorf("request lines: got %d, want 1", requestLines)
			}
			if strings.Contains(logs.String(), "secret") {
				t.Errorf("a secret reached the logs: %s", logs.String())
			}
		})
	}
}

func TestServerTimingOff(t *testing.T) {
	h := Wrap("test", Options{Logger: slog.New(slog.NewJSONHandler(&bytes.Buffer{}, nil))}, func(context.Context, Request) (Response, error) {
		return NoContent(), nil
	})
	resp, _ := h(context.Background(), request("GET", ""))
	if v, ok := resp.Headers["Server-Timing"]; ok {
		t.Errorf("Server-Timing: got %q, want none in AWS", v)
	}
}

// TestLogLinesCarryTheInvocation: a line logged with an invocation's
// context names its request id and trace id, once, even when the logger
// has its own request id already.
func TestLogLinesCarryTheInvocation(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(invocationHandler{Handler: slog.NewJSONHandler(&buf, nil)})
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
	ctx = context.WithValue(ctx, "x-amzn-trace-id", "Root=1-abc")
	log.InfoContext(ctx, "stream batch")
	log.With("requestId", "req-1").InfoContext(ctx, "again")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	for _, l := range lines {
		if strings.Count(l, `"requestId":"req-1"`) != 1 || !strings.Contains(l, `"traceId":"Root=1-abc"`) {
			t.Errorf("line %s: want the request id once and the trace id", l)
		}
	}
}

// TestOnlyThroughCloudFront: with an origin secret, a request without it
// (straight to the execute-api endpoint) is refused and reaches no
// handler; with it, the handler sees the viewer's address from
// CloudFront-Viewer-Address and never the secret.
func TestOnlyThroughCloudFront(t *testing.T) {
	const secret = "s3cret-origin-value"
	var seen Request
	h := Wrap("x", Options{OriginSecret: secret, Logger: slog.New(slog.DiscardHandler)}, func(_ context.Context, req Request) (Response, error) {
		seen = req
		return JSON(200, map[string]string{}), nil
	})
	tests := []struct {
		name, header, viewer string
		wantStatus           int
		wantIP               string
	}{
		{"no secret", "", "203.0.113.7:51234", 403, ""},
		{"wrong secret", "guess", "203.0.113.7:51234", 403, ""},
		{"IPv4 viewer", secret, "203.0.113.7:51234", 200, "203.0.113.7"},
		{"IPv6 viewer", secret, "2001:db8::1:443", 200, "2001:db8::1"},
		{"no viewer address", secret, "", 200, "10.0.0.1"},
		{"garbage viewer address", secret, "not an address", 200, "10.0.0.1"},
	}
	for _, tt := range tests {
		seen = Request{}
		req := request("GET", "")
		req.RequestContext.HTTP.SourceIP = "10.0.0.1"
		if tt.header != "" {
			req.Headers["X-Roster-Origin"] = tt.header
		}
		if tt.viewer != "" {
			req.Headers["cloudfront-viewer-address"] = tt.viewer
		}
		resp, _ := h(context.Background(), req)
		if resp.StatusCode != tt.wantStatus {
			t.Errorf("%s: got %d %s, want %d", tt.name, resp.StatusCode, resp.Body, tt.wantStatus)
		}
		if tt.wantStatus == 403 {
			if !strings.Contains(resp.Body, "direct_access") || seen.RouteKey != "" {
				t.Errorf("%s: got %s, handler reached %v; want direct_access before any handler", tt.name, resp.Body, seen.RouteKey != "")
			}
			continue
		}
		if got := SourceIP(seen); got != tt.wantIP {
			t.Errorf("%s: source address got %q, want %q", tt.name, got, tt.wantIP)
		}
		if Header(seen, OriginSecretHeader) != "" {
			t.Errorf("%s: the handler saw the origin secret", tt.name)
		}
	}
}
