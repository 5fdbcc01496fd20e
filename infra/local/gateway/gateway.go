// Package gateway is Roster's local API gateway: it serves the static site
// and routes /api/* requests, by the routes in template.yaml, to the
// functions' own bootstrap binaries, which it runs as processes talking to an
// in-process implementation of the AWS Lambda Runtime API. It does what
// `sam local start-api` does inside Docker, without Docker: requests become
// API Gateway HTTP API (payload 2.0) events, functions stay warm between
// requests, and timeouts, crashes and payload limits behave as in AWS.
package gateway

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"roster/infra/local/samtemplate"
	"roster/shared/contract"
)

// maxRequestBytes is API Gateway's 10 MB request payload limit.
const maxRequestBytes = 10 << 20

// closeGrace is how long Close waits after SIGTERM before SIGKILL.
const closeGrace = 2 * time.Second

// Config configures a Gateway.
type Config struct {
	// Template is the parsed SAM template: functions and routes.
	Template *samtemplate.Template
	// Refs holds values for !Ref/!GetAtt (Table -> local table name,
	// SiteUrl -> origin, MailFrom ...); parameters fall back to defaults.
	Refs map[string]string
	// CodeDir maps a CodeUri to the directory holding this machine's
	// bootstrap; nil uses the CodeUri itself.
	CodeDir func(codeURI string) string
	// Env is extra env for every function process (endpoints, dummy
	// credentials, region, ROSTER_SERVER_TIMING=1), as KEY=VALUE.
	Env []string
	// SiteDir is the static site (site/dist); "" serves no site.
	SiteDir string
	// Logger receives the gateway's own log, one line per request; nil discards.
	Logger *slog.Logger
	// FunctionLog receives the functions' stdout and stderr line by line; nil discards.
	FunctionLog io.Writer
	// MaxConcurrency bounds the processes per function (Lambda's
	// concurrency, which in AWS is the account's, 1,000 by default); 0
	// means 10.
	MaxConcurrency int
	// Contract, when set, holds every exchange to the API's OpenAPI
	// document: an answer it does not describe, or a request it refuses
	// that the function accepted, is replaced by 500 contract_violation
	// and logged, so that a test through the gateway fails on it.
	Contract *contract.Validator
}

// Gateway serves the site and the API. It is an http.Handler.
type Gateway struct {
	router    *router
	functions map[string]*function
	siteDir   string
	log       *slog.Logger
	region    string
	contract  *contract.Validator

	// gzipCache holds the compressed site files by gzipKey.
	gzipCache sync.Map

	closing   chan struct{}
	closeOnce sync.Once
	// inflight is read-locked by every API request; Close write-locks it to
	// wait for them after it has stopped the processes they may wait on.
	inflight sync.RWMutex
}

// passEnv names the only variables of the gateway's own environment that
// reach function processes.
var passEnv = []string{"PATH", "HOME", "TZ"}

// New checks the configuration, resolves every function's environment and
// returns a Gateway. Processes start on first use.
func New(cfg Config) (*Gateway, error) {
	if cfg.Template == nil {
		return nil, errors.New("gateway: Config.Template is nil")
	}
	if cfg.MaxConcurrency <= 0 {
		cfg.MaxConcurrency = 10
	}
	if cfg.CodeDir == nil {
		cfg.CodeDir = func(s string) string { return s }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.FunctionLog == nil {
		cfg.FunctionLog = io.Discard
	}
	g := &Gateway{
		router:    newRouter(cfg.Template),
		functions: map[string]*function{},
		log:       cfg.Logger,
		contract:  cfg.Contract,
		closing:   make(chan struct{}),
		region:    "us-east-1",
	}
	if cfg.SiteDir != "" {
		abs, err := filepath.Abs(cfg.SiteDir)
		if err != nil {
			return nil, fmt.Errorf("gateway: site dir: %w", err)
		}
		g.siteDir = abs
	}
	extra := map[string]string{}
	for _, kv := range cfg.Env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("gateway: Config.Env entry %q is not KEY=VALUE", kv)
		}
		extra[k] = v
	}
	if r := extra["AWS_REGION"]; r != "" {
		g.region = r
	} else if r := extra["AWS_DEFAULT_REGION"]; r != "" {
		g.region = r
	}
	logw := &lineWriterFactory{out: cfg.FunctionLog}
	for _, tf := range cfg.Template.Functions {
		codeDir, err := filepath.Abs(cfg.CodeDir(tf.CodeURI))
		if err != nil {
			return nil, fmt.Errorf("gateway: function %s: %w", tf.LogicalID, err)
		}
		env := map[string]string{}
		for _, k := range passEnv {
			if v, ok := os.LookupEnv(k); ok {
				env[k] = v
			}
		}
		handler := tf.Handler
		if handler == "" {
			handler = "bootstrap"
		}
		env["AWS_LAMBDA_FUNCTION_NAME"] = tf.LogicalID
		env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = strconv.Itoa(tf.MemoryMB)
		env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
		env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + tf.LogicalID
		env["AWS_LAMBDA_LOG_STREAM_NAME"] = "local"
		env["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand"
		env["_HANDLER"] = handler
		env["AWS_REGION"] = g.region
		env["AWS_DEFAULT_REGION"] = g.region
		env["LAMBDA_TASK_ROOT"] = codeDir
		for k, v := range tf.Env {
			s, err := v.Resolve(cfg.Refs, cfg.Template.Parameters)
			if err != nil {
				return nil, fmt.Errorf("gateway: function %s, variable %s: %w", tf.LogicalID, k, err)
			}
			env[k] = s
		}
		for k, v := range extra {
			env[k] = v
		}
		list := make([]string, 0, len(env))
		for k, v := range env {
			list = append(list, k+"="+v)
		}
		sort.Strings(list)
		g.functions[tf.LogicalID] = &function{
			name:      tf.LogicalID,
			bootstrap: filepath.Join(codeDir, "bootstrap"),
			codeDir:   codeDir,
			env:       list,
			timeout:   tf.Timeout,
			arn:       "arn:aws:lambda:" + g.region + ":000000000000:function:" + tf.LogicalID,
			logw:      logw,
			sem:       make(chan struct{}, cfg.MaxConcurrency),
			closing:   g.closing,
			all:       map[*instance]struct{}{},
		}
	}
	return g, nil
}

// Close stops every function process the gateway started (SIGTERM, then
// SIGKILL after 2s) and waits for them and for requests in flight.
func (g *Gateway) Close() error {
	g.closeOnce.Do(func() {
		close(g.closing)
		var wg sync.WaitGroup
		for _, f := range g.functions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f.shutdown(closeGrace)
			}()
		}
		wg.Wait()
	})
	g.inflight.Lock()
	defer g.inflight.Unlock()
	return nil
}

// Stats reports, for the function with the given logical ID, how many
// processes are alive and how many were started since New.
func (g *Gateway) Stats(logicalID string) (live, started int) {
	if f, ok := g.functions[logicalID]; ok {
		return f.stats()
	}
	return 0, 0
}

// ServeHTTP serves /api/* and /.well-known/* from the functions (as
// CloudFront sends them to the API) and everything else from the site.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/.well-known/") {
		g.serveAPI(w, r, start)
		return
	}
	SetSecurityHeaders(w.Header())
	if r.URL.Path == DocsPath || strings.HasPrefix(r.URL.Path, DocsPath+"/") {
		w.Header().Set("Content-Security-Policy", DocsContentSecurityPolicy)
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	g.serveSite(rec, r)
	g.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", rec.status), slog.Float64("duration_ms", ms(time.Since(start))))
}

// apiLog is what the one log line of an API request holds.
type apiLog struct {
	route, function, requestID string
	status                     int
	cold                       bool
	init                       time.Duration
}

func (g *Gateway) serveAPI(w http.ResponseWriter, r *http.Request, start time.Time) {
	g.inflight.RLock()
	defer g.inflight.RUnlock()
	l := apiLog{requestID: newRequestID()}
	defer func() {
		if !g.log.Enabled(r.Context(), slog.LevelInfo) {
			return
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("route", l.route), slog.String("function", l.function),
			slog.Int("status", l.status), slog.Float64("duration_ms", ms(time.Since(start))),
			slog.Bool("cold", l.cold), slog.String("request_id", l.requestID),
		}
		if l.cold {
			attrs = append(attrs, slog.Float64("init_ms", ms(l.init)))
		}
		g.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	}()
	fail := func(status int, code, msg string) {
		l.status = status
		SetSecurityHeaders(w.Header())
		w.Header().Set("X-Request-Id", l.requestID)
		w.Header().Set("Server-Timing", serverTiming("", l.cold, l.init, 0, time.Since(start)))
		writeError(w, status, code, msg)
	}

	m, ok := g.router.lookup(r.Method, r.URL.EscapedPath())
	if !ok {
		// API Gateway answers 404 both for an unknown path and for a known
		// path with another method; so does the gateway, to match production.
		fail(http.StatusNotFound, "not_found", fmt.Sprintf("No route for %s %s.", r.Method, r.URL.Path))
		return
	}
	l.route, l.function = m.route.key, m.route.function
	f := g.functions[m.route.function]

	if r.ContentLength > maxRequestBytes {
		fail(http.StatusRequestEntityTooLarge, "payload_too_large", "The request body exceeds API Gateway's 10 MB limit.")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	if err != nil {
		fail(http.StatusBadRequest, "bad_request", "Cannot read the request body.")
		return
	}
	if len(body) > maxRequestBytes {
		fail(http.StatusRequestEntityTooLarge, "payload_too_large", "The request body exceeds API Gateway's 10 MB limit.")
		return
	}
	now := time.Now()
	event := buildEvent(r, m, body, l.requestID, now)
	payload := appendEvent(make([]byte, 0, eventBytes+len(event.Body)), &event)

	in, cold, err := f.acquire(r.Context())
	l.cold = cold
	if in != nil && cold {
		l.init = in.initDur
	}
	if err != nil {
		var nb *notBuiltError
		switch {
		case errors.As(err, &nb):
			fail(http.StatusBadGateway, "function_not_built", "Function "+nb.function+" is not built: no bootstrap at "+nb.path+"; run make build.")
		case errors.Is(err, errClosed):
			fail(http.StatusServiceUnavailable, "unavailable", "The gateway is shutting down.")
		case r.Context().Err() != nil:
			fail(499, "client_closed", "The client went away.")
		default:
			g.log.Error("function init failed", slog.String("function", f.name), slog.String("error", err.Error()), slog.String("request_id", l.requestID))
			fail(http.StatusBadGateway, "bad_gateway", "Function "+f.name+" failed to start: "+strings.TrimPrefix(err.Error(), errCrashed.Error()+": ")+".")
		}
		return
	}
	inv := &invocation{
		id:       l.requestID,
		payload:  payload,
		deadline: time.Now().Add(f.timeout),
		arn:      f.arn,
		traceID:  newTraceID(now),
		done:     make(chan result, 1),
	}
	invokeStart := time.Now()
	res, err := in.invoke(r.Context(), inv)
	exchange := time.Since(invokeStart)
	if err != nil {
		f.release(in, false)
		switch {
		case errors.Is(err, errTimeout):
			fail(http.StatusGatewayTimeout, "gateway_timeout", fmt.Sprintf("Function %s timed out after %v; its process was stopped.", f.name, f.timeout))
		case r.Context().Err() != nil:
			fail(499, "client_closed", "The client went away.")
		default:
			g.log.Error("function crashed", slog.String("function", f.name), slog.String("error", err.Error()), slog.String("request_id", l.requestID))
			fail(http.StatusBadGateway, "bad_gateway", "Function "+f.name+" "+err.Error()+".")
		}
		return
	}
	f.release(in, true)
	if res.errType != "" {
		g.log.Error("function error", slog.String("function", f.name), slog.String("error", errorMessage(res.body)), slog.String("request_id", l.requestID))
		fail(http.StatusBadGateway, "bad_gateway", "Function "+f.name+" returned an error ("+res.errType+").")
		return
	}
	resp, err := parseResponse(res.body)
	if err != nil {
		fail(http.StatusBadGateway, "bad_gateway", "Function "+f.name+" returned an invalid response: "+err.Error()+".")
		return
	}
	if err := g.check(r, event, resp); err != nil {
		g.log.Error("contract violation", slog.String("function", f.name), slog.String("error", err.Error()), slog.String("request_id", l.requestID))
		fail(http.StatusInternalServerError, "contract_violation", err.Error())
		return
	}
	l.status = resp.status
	h := w.Header()
	for k, vs := range resp.header {
		if strings.EqualFold(k, "Server-Timing") {
			continue
		}
		h[k] = vs
	}
	SetSecurityHeaders(h)
	h.Set("X-Request-Id", l.requestID)
	h.Set("Server-Timing", serverTiming(resp.header.Get("Server-Timing"), cold, l.init, exchange, time.Since(start)))
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(resp.body)
	}
}

// check holds the exchange to the contract, when the gateway has one.
func (g *Gateway) check(r *http.Request, event events.APIGatewayV2HTTPRequest, resp response) error {
	if g.contract == nil {
		return nil
	}
	headers := map[string]string{}
	for k, vs := range resp.header {
		if !strings.EqualFold(k, "Set-Cookie") && len(vs) > 0 {
			headers[k] = vs[0]
		}
	}
	return g.contract.Check(r.Context(), event, events.APIGatewayV2HTTPResponse{
		StatusCode: resp.status, Headers: headers, Cookies: resp.header.Values("Set-Cookie"), Body: string(resp.body),
	})
}

// serverTiming appends the gateway's metrics to the function's own header:
// the cold start, the exchange with the function's process (from handing
// it the event to its answer) and the gateway's whole time, so that gw
// less invoke and init is what the gateway itself added.
func serverTiming(fn string, cold bool, init, exchange, total time.Duration) string {
	b := make([]byte, 0, len(fn)+80)
	if fn = strings.TrimSpace(fn); fn != "" {
		b = append(append(b, fn...), ", "...)
	}
	if cold {
		b = append(b, "init;dur="...)
		b = strconv.AppendFloat(b, ms(init), 'f', 1, 64)
		b = append(b, `;desc="cold start", `...)
	}
	if exchange > 0 {
		b = append(b, "invoke;dur="...)
		b = strconv.AppendFloat(b, ms(exchange), 'f', 3, 64)
		b = append(b, ", "...)
	}
	b = append(b, "gw;dur="...)
	b = strconv.AppendFloat(b, ms(total), 'f', 3, 64)
	return string(b)
}

// writeError writes the product's JSON error shape.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// newRequestID returns a random UUID-shaped id.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// newTraceID returns an X-Ray style trace header value.
func newTraceID(now time.Time) string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", now.Unix(), h[:24], h[24:40])
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
