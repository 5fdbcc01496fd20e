package api

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"roster/shared/domain"
	"roster/shared/telemetry"
)

// HandlerFunc is one endpoint. It returns the response, or an error that the
// one error writer turns into a JSON error response.
type HandlerFunc func(ctx context.Context, req Request) (Response, error)

// LambdaHandler is what lambda.Start receives.
type LambdaHandler func(ctx context.Context, req Request) (Response, error)

// Options configure Wrap.
type Options struct {
	// SiteURL is the site's origin; unsafe methods must carry it as Origin
	// (CSRF defence). Empty disables the check (only for functions that
	// take no unsafe methods).
	SiteURL string
	// ServerTiming adds the request's DynamoDB cost as a Server-Timing
	// header. The local gateway turns it on (ROSTER_SERVER_TIMING=1); in AWS
	// it stays off so that clients do not learn about the table's internals.
	ServerTiming bool
	// Logger receives the one line per invocation; nil logs JSON to stdout.
	Logger *slog.Logger
	// OriginSecret, when set (ORIGIN_SECRET, deployed stacks), is the value
	// CloudFront sends in OriginSecretHeader: a request without it did not
	// come through CloudFront and is refused (403 direct_access), and for
	// one with it the client's address is the viewer's, from
	// CloudFront-Viewer-Address, not CloudFront's.
	OriginSecret string
}

// OriginSecretHeader carries the origin secret from CloudFront to the API.
const OriginSecretHeader = "x-roster-origin"

// OptionsFromEnv returns Options for siteURL with ServerTiming from
// ROSTER_SERVER_TIMING and the origin secret from ORIGIN_SECRET.
func OptionsFromEnv(siteURL string) Options {
	return Options{SiteURL: siteURL, ServerTiming: os.Getenv("ROSTER_SERVER_TIMING") == "1", OriginSecret: os.Getenv("ORIGIN_SECRET")}
}

var errDirectAccess = domain.CodeDirectAccess.Msg("Reach Roster through its site's address.")

// throughCDN checks that req came through CloudFront (its origin secret)
// and gives it the viewer's address; the secret is taken out of the
// request, so that nothing after it can see it.
func throughCDN(req *Request, secret string) error {
	if secret == "" {
		return nil
	}
	got := Header(*req, OriginSecretHeader)
	if subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
		return errDirectAccess
	}
	for k := range req.Headers {
		if strings.EqualFold(k, OriginSecretHeader) {
			delete(req.Headers, k)
		}
	}
	if ip := ViewerIP(Header(*req, "cloudfront-viewer-address")); ip != "" {
		req.RequestContext.HTTP.SourceIP = ip
	}
	return nil
}

// ViewerIP returns the address of CloudFront-Viewer-Address's
// "address:port" (an IPv6 address has colons of its own and no brackets),
// or "" when it is not one.
func ViewerIP(v string) string {
	i := strings.LastIndexByte(v, ':')
	if i <= 0 {
		return ""
	}
	ip, err := netip.ParseAddr(v[:i])
	if err != nil {
		return ""
	}
	return ip.String()
}

// NewLogger returns the JSON logger every function writes with. Lambda
// captures stdout into CloudWatch Logs, one line an event.
func NewLogger() *slog.Logger {
	return slog.New(invocationHandler{Handler: slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelInfo})})
}

// invocationHandler stamps every line logged with an invocation's context
// with Lambda's request id (unless the logger carries one already) and the
// X-Ray trace id, so that any line leads to its invocation and its trace.
type invocationHandler struct {
	slog.Handler
	hasRequestID bool
}

func (h invocationHandler) Handle(ctx context.Context, r slog.Record) error {
	if lc, ok := lambdacontext.FromContext(ctx); ok && !h.hasRequestID && lc.AwsRequestID != "" {
		r.AddAttrs(slog.String("requestId", lc.AwsRequestID))
	}
	if trace, ok := ctx.Value("x-amzn-trace-id").(string); ok && trace != "" {
		r.AddAttrs(slog.String("traceId", trace))
	}
	return h.Handler.Handle(ctx, r)
}

func (h invocationHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	has := h.hasRequestID
	for _, a := range attrs {
		has = has || a.Key == "requestId"
	}
	return invocationHandler{Handler: h.Handler.WithAttrs(attrs), hasRequestID: has}
}

func (h invocationHandler) WithGroup(name string) slog.Handler {
	return invocationHandler{Handler: h.Handler.WithGroup(name), hasRequestID: h.hasRequestID}
}

// Wrap turns an endpoint into a Lambda handler that every function shares:
// it refuses cross-site unsafe requests, records the DynamoDB calls the
// endpoint makes, turns errors and panics into JSON error responses through
// Error, and logs exactly one JSON line per invocation with the request id,
// route, status, duration and DynamoDB cost. Bodies, cookies and query
// strings are never logged: they may carry tokens.
func Wrap(name string, opts Options, h HandlerFunc) LambdaHandler {
	logger := opts.Logger
	if logger == nil {
		logger = NewLogger()
	}
	return func(ctx context.Context, req Request) (resp Response, _ error) {
		start := time.Now()
		ctx, rec := telemetry.WithRecorder(ctx)
		requestID := req.RequestContext.RequestID
		if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
			requestID = lc.AwsRequestID
		}
		log := logger.With("function", name, "requestId", requestID, "route", req.RouteKey)
		ctx = withLogger(ctx, log)

		defer func() {
			if p := recover(); p != nil {
				log.ErrorContext(ctx, "panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				resp = Error(ctx, domain.Errorf(domain.EInternal, "Something went wrong on our side. Please try again."))
			}
			sum := rec.Summary()
			if opts.ServerTiming {
				if resp.Headers == nil {
					resp.Headers = map[string]string{}
				}
				resp.Headers["Server-Timing"] = sum.ServerTiming() + fmt.Sprintf(`, app;dur=%.1f`, float64(time.Since(start).Microseconds())/1000)
			}
			level := slog.LevelInfo
			if resp.StatusCode >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(ctx, level, "request",
				slog.Int("status", resp.StatusCode),
				slog.Float64("durationMs", float64(time.Since(start).Microseconds())/1000),
				slog.Any("ddb", sum),
			)
		}()

		if err := throughCDN(&req, opts.OriginSecret); err != nil {
			return Error(ctx, err), nil
		}
		if err := CheckOrigin(req, opts.SiteURL); err != nil {
			return Error(ctx, err), nil
		}
		resp, err := h(ctx, req)
		if err != nil {
			return Error(ctx, err), nil
		}
		return resp, nil
	}
}

// CheckOrigin refuses an unsafe request (anything but GET, HEAD, OPTIONS)
// whose Origin header is not the site's own origin. Browsers send Origin on
// every cross-site and same-site unsafe request, so a missing Origin on an
// unsafe method is refused too. It returns a forbidden error with code
// bad_origin, or nil.
func CheckOrigin(req Request, siteURL string) error {
	switch req.RequestContext.HTTP.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, "":
		return nil
	}
	if siteURL == "" {
		return nil
	}
	origin := strings.TrimRight(Header(req, "origin"), "/")
	if origin != siteURL {
		return domain.CodeBadOrigin.Msg("This request did not come from the Roster site.")
	}
	return nil
}

type loggerKey struct{}

func withLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// Logger returns the invocation's logger (carrying function, request id and
// route), or the default logger outside an invocation.
func Logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}
