package gateway

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"roster/infra/local/gateway/internal/echofn"
	"roster/infra/local/samtemplate"
	"roster/shared/contract"
)

// binDir holds the test bootstrap built by TestMain, as <binDir>/echo/bootstrap.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "gateway-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", filepath.Join(dir, "echo", "bootstrap"), "./testdata/echo")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the test bootstrap:", err)
		return 1
	}
	// A variable of the gateway's own environment that must not reach functions.
	os.Setenv("GATEWAY_SECRET", "leaked")
	return m.Run()
}

// testTemplate returns the tests' SAM template; initFailFile is the
// InitFailFunction's INIT_FAIL_FILE.
func testTemplate(t testing.TB, initFailFile string) *samtemplate.Template {
	t.Helper()
	echoRoutes := [][2]string{
		{"GET", "/api/echo"}, {"POST", "/api/echo"}, {"GET", "/api/items/special"}, {"ANY", "/api/items/{id}"},
		{"GET", "/api/items/{id}/tags/{tag}"}, {"ANY", "/api/files/{proxy+}"}, {"GET", "/api/cookies"},
		{"GET", "/api/binary"}, {"GET", "/api/sleep"}, {"GET", "/api/exit"}, {"GET", "/api/garbage"},
		{"GET", "/api/nostatus"}, {"GET", "/api/error"}, {"GET", "/api/health"},
	}
	var b strings.Builder
	b.WriteString(`
Parameters:
  SiteUrl: {Type: String, Default: "http://localhost:3000"}
Globals:
  Function:
    Handler: bootstrap
    Timeout: 1
    Environment:
      Variables:
        TABLE_NAME: !Ref Table
        SITE_URL: !Ref SiteUrl
Resources:
  Table: {Type: "AWS::DynamoDB::Table"}
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: echo
      MemorySize: 256
      Events:
`)
	for i, r := range echoRoutes {
		fmt.Fprintf(&b, "        R%d: {Type: HttpApi, Properties: {Method: %s, Path: %q}}\n", i, r[0], r[1])
	}
	fmt.Fprintf(&b, `
  ConcFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: echo
      Events:
        Get: {Type: HttpApi, Properties: {Method: GET, Path: /api/conc}}
  InitFailFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: echo
      Environment:
        Variables:
          INIT_FAIL_FILE: %q
      Events:
        Get: {Type: HttpApi, Properties: {Method: GET, Path: /api/initfail}}
  MissingFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: missing
      Events:
        Get: {Type: HttpApi, Properties: {Method: GET, Path: /api/missing}}
`, initFailFile)
	tpl, err := samtemplate.Parse([]byte(b.String()))
	if err != nil {
		t.Fatalf("test template: %v", err)
	}
	return tpl
}

// testEnv holds one gateway and what it wrote.
type testEnv struct {
	g        *Gateway
	srv      *httptest.Server
	log      *syncBuffer
	fnLog    *syncBuffer
	siteDir  string
	initFail string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newTestEnv(t testing.TB, maxConc int) *testEnv {
	t.Helper()
	e := &testEnv{log: &syncBuffer{}, fnLog: &syncBuffer{}, siteDir: t.TempDir()}
	e.initFail = filepath.Join(t.TempDir(), "fail-init")
	for name, content := range map[string]string{
		"index.html":          "<!doctype html><title>Roster</title>",
		"assets/app-3f9a.js":  "console.log(1)",
		"favicon.svg":         "<svg/>",
		"api-docs/index.html": "<!doctype html><title>Roster API reference</title>",
	} {
		p := filepath.Join(e.siteDir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g, err := New(Config{
		Template:       testTemplate(t, e.initFail),
		Refs:           map[string]string{"Table": "roster-test"},
		CodeDir:        func(uri string) string { return filepath.Join(binDir, uri) },
		Env:            []string{"EXTRA=yes", "ROSTER_SERVER_TIMING=1"},
		SiteDir:        e.siteDir,
		Logger:         slog.New(slog.NewJSONHandler(e.log, nil)),
		FunctionLog:    e.fnLog,
		MaxConcurrency: maxConc,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.g = g
	e.srv = httptest.NewServer(g)
	t.Cleanup(func() {
		e.srv.Close()
		if err := g.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

// reply is a response read in full.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (e *testEnv) do(t testing.TB, method, path string, body []byte, header map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

func (r reply) echo(t testing.TB) echofn.Echo {
	t.Helper()
	var e echofn.Echo
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("echo body %q: %v", r.body, err)
	}
	return e
}

func (r reply) errorDoc(t testing.TB) (code, message string) {
	t.Helper()
	var doc struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	return doc.Error.Code, doc.Error.Message
}

func TestRouting(t *testing.T) {
	e := newTestEnv(t, 2)
	tests := []struct {
		method, path string
		wantStatus   int
		wantRoute    string
		wantParams   map[string]string
	}{
		{"GET", "/api/echo", 200, "GET /api/echo", nil},
		{"POST", "/api/echo", 200, "POST /api/echo", nil},
		{"GET", "/api/items/special", 200, "GET /api/items/special", nil},
		{"DELETE", "/api/items/special", 200, "ANY /api/items/{id}", map[string]string{"id": "special"}},
		{"GET", "/api/items/a%20b", 200, "ANY /api/items/{id}", map[string]string{"id": "a b"}},
		{"GET", "/api/items/7/tags/red", 200, "GET /api/items/{id}/tags/{tag}", map[string]string{"id": "7", "tag": "red"}},
		{"PUT", "/api/files/a/b/c.txt", 200, "ANY /api/files/{proxy+}", map[string]string{"proxy": "a/b/c.txt"}},
		{"GET", "/api/files", 404, "", nil},
		{"GET", "/api/items/", 404, "", nil},
		{"GET", "/api/nope", 404, "", nil},
		{"DELETE", "/api/echo", 404, "", nil},
		{"GET", "/api", 404, "", nil},
	}
	for _, tc := range tests {
		r := e.do(t, tc.method, tc.path, nil, nil)
		if r.status != tc.wantStatus {
			t.Errorf("%s %s: got status %v, want %v (%s)", tc.method, tc.path, r.status, tc.wantStatus, r.body)
			continue
		}
		if tc.wantStatus == 404 {
			code, msg := r.errorDoc(t)
			if code != "not_found" || !strings.Contains(msg, "No route for "+tc.method+" ") {
				t.Errorf("%s %s: got error %q %q, want not_found naming the request", tc.method, tc.path, code, msg)
			}
			if got := r.header.Get("Content-Type"); got != "application/json" {
				t.Errorf("%s %s: got Content-Type %q, want application/json", tc.method, tc.path, got)
			}
			continue
		}
		ev := r.echo(t).Event
		if ev.RouteKey != tc.wantRoute || ev.RequestContext.RouteKey != tc.wantRoute {
			t.Errorf("%s %s: got route %q, want %q", tc.method, tc.path, ev.RouteKey, tc.wantRoute)
		}
		if !reflect.DeepEqual(ev.PathParameters, tc.wantParams) {
			t.Errorf("%s %s: got params %v, want %v", tc.method, tc.path, ev.PathParameters, tc.wantParams)
		}
	}
	if r := e.do(t, "GET", "/api/nope", nil, nil); !strings.Contains(string(r.body), `"No route for GET /api/nope."`) {
		t.Errorf("got body %s, want the message %q", r.body, "No route for GET /api/nope.")
	}
}

func TestEventMapping(t *testing.T) {
	e := newTestEnv(t, 2)
	r := e.do(t, "POST", "/api/echo?token=secret-q&a=1&a=3", []byte(`{"x":1}`), map[string]string{
		"Content-Type": "application/json; charset=utf-8",
		"Cookie":       "session=secret-c; theme=dark",
		"X-Custom":     "v",
		"User-Agent":   "test-agent",
	})
	if r.status != 200 {
		t.Fatalf("got status %v, want 200 (%s)", r.status, r.body)
	}
	echo := r.echo(t)
	ev := echo.Event
	checks := []struct {
		name      string
		got, want any
	}{
		{"version", ev.Version, "2.0"},
		{"rawPath", ev.RawPath, "/api/echo"},
		{"rawQueryString", ev.RawQueryString, "token=secret-q&a=1&a=3"},
		{"query a", ev.QueryStringParameters["a"], "1,3"},
		{"cookies", ev.Cookies, []string{"session=secret-c", "theme=dark"}},
		{"cookie header removed", ev.Headers["cookie"], ""},
		{"custom header", ev.Headers["x-custom"], "v"},
		{"content-type", ev.Headers["content-type"], "application/json; charset=utf-8"},
		{"body", ev.Body, `{"x":1}`},
		{"base64", ev.IsBase64Encoded, false},
		{"method", ev.RequestContext.HTTP.Method, "POST"},
		{"path", ev.RequestContext.HTTP.Path, "/api/echo"},
		{"protocol", ev.RequestContext.HTTP.Protocol, "HTTP/1.1"},
		{"sourceIp", ev.RequestContext.HTTP.SourceIP, "127.0.0.1"},
		{"userAgent", ev.RequestContext.HTTP.UserAgent, "test-agent"},
		{"stage", ev.RequestContext.Stage, "$default"},
		{"accountId", ev.RequestContext.AccountID, "local"},
		{"requestId = X-Request-Id", ev.RequestContext.RequestID, r.header.Get("X-Request-Id")},
		{"domain", ev.RequestContext.DomainName, strings.TrimPrefix(e.srv.URL, "http://")},
		{"time epoch recent", time.Since(time.UnixMilli(ev.RequestContext.TimeEpoch)) < time.Minute, true},
		{"TABLE_NAME from refs", echo.Env["TABLE_NAME"], "roster-test"},
		{"SITE_URL from the parameter default", echo.Env["SITE_URL"], "http://localhost:3000"},
		{"function name", echo.Env["AWS_LAMBDA_FUNCTION_NAME"], "EchoFunction"},
		{"memory", echo.Env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "256"},
		{"version env", echo.Env["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST"},
		{"region", echo.Env["AWS_REGION"], "us-east-1"},
		{"handler", echo.Env["_HANDLER"], "bootstrap"},
		{"task root", echo.Env["LAMBDA_TASK_ROOT"], filepath.Join(binDir, "echo")},
		{"Config.Env", echo.Env["EXTRA"], "yes"},
		{"gateway env not passed", echo.Env["GATEWAY_SECRET"], ""},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}

	bin := []byte{0, 1, 2, 250, 255}
	r = e.do(t, "POST", "/api/echo", bin, map[string]string{"Content-Type": "application/octet-stream"})
	ev = r.echo(t).Event
	got, err := base64.StdEncoding.DecodeString(ev.Body)
	if !ev.IsBase64Encoded || err != nil || !bytes.Equal(got, bin) {
		t.Errorf("binary body: got %q base64=%v, want %v base64-encoded", ev.Body, ev.IsBase64Encoded, bin)
	}

	logs := e.log.String()
	for _, secret := range []string{"secret-q", "secret-c", `{"x":1}`} {
		if strings.Contains(logs, secret) {
			t.Errorf("gateway log contains %q, want no query strings, cookies or bodies:\n%s", secret, logs)
		}
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(logs, "\n", 2)[0]), &line); err != nil {
		t.Fatalf("log line is not JSON: %v", err)
	}
	for k, want := range map[string]any{"method": "POST", "path": "/api/echo", "route": "POST /api/echo",
		"function": "EchoFunction", "status": float64(200), "cold": true} {
		if line[k] != want {
			t.Errorf("log %s: got %v, want %v", k, line[k], want)
		}
	}
	for _, k := range []string{"duration_ms", "init_ms", "request_id"} {
		if _, ok := line[k]; !ok {
			t.Errorf("log line has no %s: %v", k, line)
		}
	}
}

func TestResponseMapping(t *testing.T) {
	e := newTestEnv(t, 2)
	r := e.do(t, "GET", "/api/cookies", nil, nil)
	if r.status != 200 {
		t.Fatalf("got status %v, want 200", r.status)
	}
	if got, want := r.header.Values("Set-Cookie"), []string{"session=abc; Path=/; HttpOnly", "theme=dark"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Set-Cookie: got %v, want %v", got, want)
	}
	if got, want := r.header.Values("X-Multi"), []string{"one", "two"}; !reflect.DeepEqual(got, want) {
		t.Errorf("X-Multi: got %v, want %v", got, want)
	}
	r = e.do(t, "GET", "/api/binary", nil, nil)
	if want := []byte{0, 1, 2, 255}; !bytes.Equal(r.body, want) {
		t.Errorf("binary: got %v, want %v", r.body, want)
	}
	if got := r.header.Get("Content-Type"); got != "application/octet-stream" {
		t.Errorf("binary Content-Type: got %q, want application/octet-stream", got)
	}
}

func TestWarmReuseAndServerTiming(t *testing.T) {
	e := newTestEnv(t, 2)
	first := e.do(t, "GET", "/api/echo", nil, nil)
	second := e.do(t, "GET", "/api/echo", nil, nil)
	if first.status != 200 || second.status != 200 {
		t.Fatalf("got statuses %v, %v, want 200, 200", first.status, second.status)
	}
	if p1, p2 := first.echo(t).PID, second.echo(t).PID; p1 != p2 {
		t.Errorf("second call pid: got %v, want %v (the warm process)", p2, p1)
	}
	st1, st2 := first.header.Get("Server-Timing"), second.header.Get("Server-Timing")
	for _, want := range []string{`ddb;dur=1.5;desc="GetItem 0.5 RCU"`, `init;dur=`, `desc="cold start"`, "gw;dur="} {
		if !strings.Contains(st1, want) {
			t.Errorf("first Server-Timing %q: want it to contain %q", st1, want)
		}
	}
	if strings.Contains(st2, "init;") || !strings.Contains(st2, "ddb;") || !strings.Contains(st2, "gw;dur=") {
		t.Errorf("second Server-Timing %q: want ddb and gw without init", st2)
	}
	// invoke is the exchange with the process, a part of the gateway's whole.
	for _, st := range []string{st1, st2} {
		var invoke, whole float64
		inv, gw := regexp.MustCompile(`invoke;dur=([0-9.]+)`).FindStringSubmatch(st), regexp.MustCompile(`gw;dur=([0-9.]+)`).FindStringSubmatch(st)
		if inv == nil || gw == nil {
			t.Fatalf("Server-Timing %q: want invoke and gw", st)
		}
		invoke, _ = strconv.ParseFloat(inv[1], 64)
		whole, _ = strconv.ParseFloat(gw[1], 64)
		if invoke <= 0 || invoke > whole {
			t.Errorf("Server-Timing %q: got invoke %v and gw %v, want 0 < invoke <= gw", st, invoke, whole)
		}
	}
	if first.header.Get("X-Request-Id") == second.header.Get("X-Request-Id") {
		t.Errorf("X-Request-Id repeated: %q", first.header.Get("X-Request-Id"))
	}
	if live, started := e.g.Stats("EchoFunction"); live != 1 || started != 1 {
		t.Errorf("stats: got live %v started %v, want 1 and 1", live, started)
	}
}

func TestFailuresAndRecovery(t *testing.T) {
	e := newTestEnv(t, 2)
	tests := []struct {
		path       string
		wantStatus int
		wantCode   string
		wantMsg    string
	}{
		{"/api/exit", 502, "bad_gateway", "EchoFunction crashed"},
		{"/api/garbage", 502, "bad_gateway", "not a JSON response"},
		{"/api/nostatus", 502, "bad_gateway", "no statusCode"},
		{"/api/error", 502, "bad_gateway", "returned an error"},
		{"/api/sleep", 504, "gateway_timeout", "EchoFunction timed out after 1s"},
	}
	for _, tc := range tests {
		start := time.Now()
		r := e.do(t, "GET", tc.path, nil, nil)
		code, msg := r.errorDoc(t)
		if r.status != tc.wantStatus || code != tc.wantCode || !strings.Contains(msg, tc.wantMsg) {
			t.Errorf("%s: got %v %q %q, want %v %q containing %q", tc.path, r.status, code, msg, tc.wantStatus, tc.wantCode, tc.wantMsg)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: took %v, want less than 3s", tc.path, d)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Request-Id", "Server-Timing"} {
			if r.header.Get(h) == "" {
				t.Errorf("%s: no %s header", tc.path, h)
			}
		}
		after := e.do(t, "GET", "/api/echo", nil, nil)
		if after.status != 200 {
			t.Errorf("after %s: got status %v, want 200 (%s)", tc.path, after.status, after.body)
		}
	}
	if live, _ := e.g.Stats("EchoFunction"); live > 2 {
		t.Errorf("live processes: got %v, want at most 2 (failed ones discarded)", live)
	}
}

func TestInitError(t *testing.T) {
	e := newTestEnv(t, 2)
	if err := os.WriteFile(e.initFail, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := e.do(t, "GET", "/api/initfail", nil, nil)
	code, msg := r.errorDoc(t)
	if r.status != 502 || code != "bad_gateway" || !strings.Contains(msg, "InitFailFunction failed to start") {
		t.Errorf("init panic: got %v %q %q, want 502 bad_gateway naming InitFailFunction", r.status, code, msg)
	}
	if !strings.Contains(e.fnLog.String(), "init failed on purpose") || !strings.Contains(e.fnLog.String(), `"function":"InitFailFunction"`) {
		t.Errorf("function log: got %q, want the panic wrapped with the function name", e.fnLog.String())
	}
	if err := os.Remove(e.initFail); err != nil {
		t.Fatal(err)
	}
	if r := e.do(t, "GET", "/api/initfail", nil, nil); r.status != 200 {
		t.Errorf("after fixing init: got %v, want 200 (%s)", r.status, r.body)
	}
}

func TestMissingBinary(t *testing.T) {
	e := newTestEnv(t, 2)
	r := e.do(t, "GET", "/api/missing", nil, nil)
	code, msg := r.errorDoc(t)
	want := filepath.Join(binDir, "missing", "bootstrap")
	if r.status != 502 || code != "function_not_built" || !strings.Contains(msg, "MissingFunction") ||
		!strings.Contains(msg, "run make build") || !strings.Contains(msg, want) {
		t.Errorf("got %v %q %q, want 502 function_not_built naming MissingFunction, %s and make build", r.status, code, msg, want)
	}
}

func TestPayloadTooLarge(t *testing.T) {
	e := newTestEnv(t, 2)
	r := e.do(t, "POST", "/api/echo", make([]byte, 10<<20+1), map[string]string{"Content-Type": "application/octet-stream"})
	if code, _ := r.errorDoc(t); r.status != 413 || code != "payload_too_large" {
		t.Errorf("got %v %q, want 413 payload_too_large", r.status, code)
	}
	if live, _ := e.g.Stats("EchoFunction"); live != 0 {
		t.Errorf("live processes: got %v, want 0 (refused before invoking)", live)
	}
}

func TestConcurrency(t *testing.T) {
	const maxConc, n = 3, 12
	e := newTestEnv(t, maxConc)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		pids = map[int]bool{}
		bad  []string
	)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/conc?sleep=150", nil)
			resp, err := e.srv.Client().Do(req)
			if err != nil {
				mu.Lock()
				bad = append(bad, err.Error())
				mu.Unlock()
				return
			}
			defer resp.Body.Close()
			var echo echofn.Echo
			err = json.NewDecoder(resp.Body).Decode(&echo)
			mu.Lock()
			defer mu.Unlock()
			if resp.StatusCode != 200 || err != nil {
				bad = append(bad, fmt.Sprintf("status %d, %v", resp.StatusCode, err))
				return
			}
			pids[echo.PID] = true
		}()
	}
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("failed requests: got %v, want none", bad)
	}
	if len(pids) < 2 || len(pids) > maxConc {
		t.Errorf("distinct processes: got %v, want 2..%v", len(pids), maxConc)
	}
	if _, started := e.g.Stats("ConcFunction"); started > maxConc {
		t.Errorf("processes started: got %v, want at most %v", started, maxConc)
	}
}

func TestSiteAndSecurityHeaders(t *testing.T) {
	e := newTestEnv(t, 2)
	tests := []struct {
		path, wantBody, wantCache string
		wantStatus                int
	}{
		{"/", "<!doctype html><title>Roster</title>", "no-cache", 200},
		{"/members/42", "<!doctype html><title>Roster</title>", "no-cache", 200},
		{"/accept", "<!doctype html><title>Roster</title>", "no-cache", 200},
		{"/assets/app-3f9a.js", "console.log(1)", "public, max-age=31536000, immutable", 200},
		{"/favicon.svg", "<svg/>", "no-cache", 200},
		{"/missing.png", "", "", 404},
		{"/..%2f..%2fetc%2fpasswd", "<!doctype html><title>Roster</title>", "no-cache", 200},
		{"/..%2fgateway_test.go", "", "", 404},
		{"/api/echo", "", "", 200},
		{"/api/nope", "", "", 404},
	}
	for _, tc := range tests {
		r := e.do(t, "GET", tc.path, nil, nil)
		if r.status != tc.wantStatus {
			t.Errorf("%s: got status %v, want %v", tc.path, r.status, tc.wantStatus)
		}
		if tc.wantBody != "" && string(r.body) != tc.wantBody {
			t.Errorf("%s: got body %q, want %q", tc.path, r.body, tc.wantBody)
		}
		if tc.wantCache != "" && r.header.Get("Cache-Control") != tc.wantCache {
			t.Errorf("%s: got Cache-Control %q, want %q", tc.path, r.header.Get("Cache-Control"), tc.wantCache)
		}
		for k, v := range SecurityHeaders {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s: header %s: got %q, want %q", tc.path, k, got, v)
			}
		}
	}
}

func TestCloseStopsProcesses(t *testing.T) {
	before := runtime.NumGoroutine()
	g, err := New(Config{
		Template: testTemplate(t, filepath.Join(t.TempDir(), "none")),
		Refs:     map[string]string{"Table": "roster-test"},
		CodeDir:  func(uri string) string { return filepath.Join(binDir, uri) },
	})
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, p := range []string{"/api/echo", "/api/conc"} {
		w := httptest.NewRecorder()
		g.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		var echo echofn.Echo
		if err := json.Unmarshal(w.Body.Bytes(), &echo); err != nil || w.Code != 200 {
			t.Fatalf("%s: got %v %s, want 200", p, w.Code, w.Body)
		}
		pids = append(pids, echo.PID)
	}
	if err := g.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); err == nil {
			t.Errorf("process %d still alive after Close", pid)
		}
	}
	w := httptest.NewRecorder()
	g.ServeHTTP(w, httptest.NewRequest("GET", "/api/echo", nil))
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("after Close: got %v, want 503", w.Code)
	}
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: got %v after Close, want at most %v\n%s", after, before, buf[:runtime.Stack(buf, true)])
	}
}

func TestNewErrors(t *testing.T) {
	tpl := testTemplate(t, "x")
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no template", Config{}, "Template is nil"},
		{"unresolvable ref", Config{Template: tpl}, "!Ref Table"},
		{"bad env", Config{Template: tpl, Refs: map[string]string{"Table": "t"}, Env: []string{"NOEQUALS"}}, "KEY=VALUE"},
	}
	for _, tc := range tests {
		_, err := New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func TestRouterSpecificity(t *testing.T) {
	tpl, err := samtemplate.Parse([]byte(`
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: a
      Events:
        P: {Type: HttpApi, Properties: {Method: ANY, Path: "/api/{proxy+}"}}
        M: {Type: HttpApi, Properties: {Method: GET, Path: "/api/accounts/{accountId}/members"}}
        U: {Type: HttpApi, Properties: {Method: GET, Path: "/api/accounts/{accountId}/members/{userId}"}}
        L: {Type: HttpApi, Properties: {Method: GET, Path: "/api/accounts/mine/members"}}
        X: {Type: HttpApi, Properties: {Method: ANY, Path: "/api/accounts/{accountId}/members"}}
  B:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: b
      Events:
        D: {Type: HttpApi}
`))
	if err != nil {
		t.Fatal(err)
	}
	rt := newRouter(tpl)
	tests := []struct{ method, path, want string }{
		{"GET", "/api/accounts/a1/members", "GET /api/accounts/{accountId}/members"},
		{"POST", "/api/accounts/a1/members", "ANY /api/accounts/{accountId}/members"},
		{"GET", "/api/accounts/mine/members", "GET /api/accounts/mine/members"},
		{"GET", "/api/accounts/a1/members/u1", "GET /api/accounts/{accountId}/members/{userId}"},
		{"DELETE", "/api/accounts/a1/members/u1", "ANY /api/{proxy+}"},
		{"GET", "/api/x", "ANY /api/{proxy+}"},
		{"GET", "/elsewhere", "$default"},
	}
	for _, tc := range tests {
		m, ok := rt.lookup(tc.method, tc.path)
		if !ok || m.route.key != tc.want {
			got := "no route"
			if ok {
				got = m.route.key
			}
			t.Errorf("%s %s: got %v, want %v", tc.method, tc.path, got, tc.want)
		}
	}
	keys := make([]string, 0, len(rt.routes))
	for _, r := range rt.routes {
		keys = append(keys, r.key)
	}
	sort.Strings(keys)
	if len(keys) != 6 {
		t.Errorf("routes: got %v, want 6", keys)
	}
}

func TestCloseDuringRequest(t *testing.T) {
	e := newTestEnv(t, 2)
	type out struct {
		status int
		err    error
	}
	done := make(chan out, 1)
	go func() {
		resp, err := e.srv.Client().Get(e.srv.URL + "/api/conc?sleep=800")
		if err != nil {
			done <- out{err: err}
			return
		}
		resp.Body.Close()
		done <- out{status: resp.StatusCode}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for live, _ := e.g.Stats("ConcFunction"); live == 0 && time.Now().Before(deadline); live, _ = e.g.Stats("ConcFunction") {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	if err := e.g.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v, want under 3s", d)
	}
	got := <-done
	if got.err != nil || (got.status != http.StatusBadGateway && got.status != http.StatusOK) {
		t.Errorf("request during Close: got %v %v, want 502 (process stopped) or 200", got.status, got.err)
	}
	if live, _ := e.g.Stats("ConcFunction"); live != 0 {
		t.Errorf("live processes after Close: got %v, want 0", live)
	}
}

// TestContract holds exchanges through the gateway to the OpenAPI
// document: an answer with a field the document does not describe becomes
// 500 contract_violation; a documented one passes unchanged.
func TestContract(t *testing.T) {
	v, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(Config{
		Template: testTemplate(t, ""), Refs: map[string]string{"Table": "roster-test"},
		CodeDir:  func(uri string) string { return filepath.Join(binDir, uri) },
		Contract: v,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	t.Cleanup(func() { srv.Close(); g.Close() })
	tests := []struct {
		answer     string
		wantStatus int
		wantCode   string
	}{
		{`{"status":"ok"}`, 200, ""},
		{`{"status":"ok","database":"up"}`, 500, "contract_violation"},
		{`{}`, 500, "contract_violation"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest("GET", srv.URL+"/api/health", nil)
		req.Header.Set("X-Answer", tt.answer)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Error struct{ Code, Message string }
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != tt.wantStatus || body.Error.Code != tt.wantCode {
			t.Errorf("answer %s: got %d %q (%s), want %d %q", tt.answer, resp.StatusCode, body.Error.Code, body.Error.Message, tt.wantStatus, tt.wantCode)
		}
	}
}

// TestDocs serves the API reference at /api-docs under its own CSP.
func TestDocs(t *testing.T) {
	e := newTestEnv(t, 0)
	tests := []struct{ path, wantBody, wantCSP string }{
		{"/api-docs", "Roster API reference", DocsContentSecurityPolicy},
		{"/api-docs/", "Roster API reference", DocsContentSecurityPolicy},
		{"/members", "<title>Roster</title>", SecurityHeaders["Content-Security-Policy"]},
	}
	for _, tt := range tests {
		r := e.do(t, "GET", tt.path, nil, nil)
		if r.status != 200 || !strings.Contains(string(r.body), tt.wantBody) || r.header.Get("Content-Security-Policy") != tt.wantCSP {
			t.Errorf("%s: got %d %s CSP %q, want 200 %q CSP %q", tt.path, r.status, r.body, r.header.Get("Content-Security-Policy"), tt.wantBody, tt.wantCSP)
		}
	}
}

// TestSiteCompressed: text assets go gzip-compressed to a browser that
// accepts it, as CloudFront serves them, and as they are to one that does
// not; small files and images are never compressed.
func TestSiteCompressed(t *testing.T) {
	dir := t.TempDir()
	js := strings.Repeat("console.log('roster');\n", 200)
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"index.html": "<!doctype html><title>Roster</title>", "assets/app.js": js, "assets/logo.png": js} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g, err := New(Config{Template: &samtemplate.Template{}, SiteDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, accept string
		wantGzip     bool
	}{
		{"/assets/app.js", "gzip, deflate, br", true},
		{"/assets/app.js", "br;q=1.0, gzip;q=0.8", true},
		{"/assets/app.js", "gzip;q=0", false},
		{"/assets/app.js", "", false},
		{"/assets/logo.png", "gzip", false},
		{"/index.html", "gzip", false}, // under 1,000 bytes
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.path, nil)
		if tt.accept != "" {
			r.Header.Set("Accept-Encoding", tt.accept)
		}
		w := httptest.NewRecorder()
		g.ServeHTTP(w, r)
		gotGzip := w.Header().Get("Content-Encoding") == "gzip"
		if w.Code != 200 || gotGzip != tt.wantGzip {
			t.Errorf("%s with %q: got %d, gzip %v; want 200, gzip %v", tt.path, tt.accept, w.Code, gotGzip, tt.wantGzip)
			continue
		}
		body := w.Body.Bytes()
		if gotGzip {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
			if w.Body.Len() >= len(js)/4 {
				t.Errorf("%s: %d bytes compressed from %d", tt.path, w.Body.Len(), len(js))
			}
		}
		if tt.path == "/assets/app.js" && string(body) != js {
			t.Errorf("%s with %q: the body differs from the file", tt.path, tt.accept)
		}
	}
}
