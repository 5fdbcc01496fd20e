package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// maxResponseBytes is Lambda's synchronous response payload limit.
const maxResponseBytes = 6 << 20

// invocation is one event handed to a function process.
type invocation struct {
	id       string
	payload  []byte
	deadline time.Time
	arn      string
	traceID  string
	done     chan result // buffered 1; receives exactly one result
}

// result is what a function process answered to one invocation.
type result struct {
	body    []byte
	errType string // set when the function reported an invocation error
}

// instance is one running function process and the Runtime API it talks to.
type instance struct {
	fn       *function
	cmd      *exec.Cmd
	srv      *http.Server
	served   chan struct{} // closed when srv.Serve returned
	next     chan *invocation
	started  time.Time
	initDone chan struct{} // closed on the first /next
	initOnce sync.Once
	initErr  chan string // receives an /init/error body
	exited   chan struct{}
	exitErr  error // valid after exited is closed
	initDur  time.Duration

	mu      sync.Mutex
	current *invocation
	stopped bool
}

// startInstance starts fn's bootstrap with its own Runtime API listener.
func startInstance(fn *function, logw *lineWriterFactory) (*instance, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtime API listener: %w", err)
	}
	in := &instance{
		fn:       fn,
		served:   make(chan struct{}),
		next:     make(chan *invocation, 1),
		initDone: make(chan struct{}),
		initErr:  make(chan string, 1),
		exited:   make(chan struct{}),
		started:  time.Now(),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", in.handleNext)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", in.handleResult(false))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", in.handleResult(true))
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", in.handleInitError)
	in.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(in.served)
		_ = in.srv.Serve(ln)
	}()

	cmd := exec.Command(fn.bootstrap)
	cmd.Dir = fn.codeDir
	cmd.Env = append(append([]string(nil), fn.env...), "AWS_LAMBDA_RUNTIME_API="+ln.Addr().String())
	cmd.Stdout = logw.writer(fn.name, "stdout")
	cmd.Stderr = logw.writer(fn.name, "stderr")
	cmd.WaitDelay = time.Second
	in.cmd = cmd
	if err := cmd.Start(); err != nil {
		_ = in.srv.Close()
		<-in.served
		return nil, err
	}
	go func() {
		in.exitErr = cmd.Wait()
		flushWriter(cmd.Stdout)
		flushWriter(cmd.Stderr)
		close(in.exited)
	}()
	return in, nil
}

// pid returns the process id.
func (in *instance) pid() int { return in.cmd.Process.Pid }

// waitInit waits until the process asks for its first invocation.
func (in *instance) waitInit(ctx context.Context, limit time.Duration) error {
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-in.initDone:
		return nil
	case msg := <-in.initErr:
		return fmt.Errorf("init error: %s", msg)
	case <-in.exited:
		return fmt.Errorf("exited during init (%v)", in.exitErr)
	case <-t.C:
		return fmt.Errorf("init took longer than %v", limit)
	case <-ctx.Done():
		return ctx.Err()
	}
}

var (
	errCrashed = errors.New("crashed")
	errTimeout = errors.New("timed out")
)

// invoke hands inv to the process and waits for its answer, the process's
// exit, the function's timeout or the caller's cancellation.
func (in *instance) invoke(ctx context.Context, inv *invocation) (result, error) {
	in.next <- inv // buffered: the process may not be waiting yet
	t := time.NewTimer(time.Until(inv.deadline))
	defer t.Stop()
	select {
	case res := <-inv.done:
		return res, nil
	case msg := <-in.initErr:
		return result{}, fmt.Errorf("%w: init error: %s", errCrashed, msg)
	case <-in.exited:
		select {
		case res := <-inv.done: // answered, then exited
			return res, nil
		default:
		}
		return result{}, fmt.Errorf("%w: the process exited during the invocation (%v)", errCrashed, in.exitErr)
	case <-t.C:
		return result{}, errTimeout
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
}

func (in *instance) handleNext(w http.ResponseWriter, r *http.Request) {
	in.initOnce.Do(func() {
		in.initDur = time.Since(in.started)
		close(in.initDone)
	})
	var inv *invocation
	select {
	case inv = <-in.next:
	case <-r.Context().Done():
		return
	case <-in.exited:
		return
	}
	in.mu.Lock()
	in.current = inv
	in.mu.Unlock()
	h := w.Header()
	h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", inv.arn)
	h.Set("Lambda-Runtime-Trace-Id", inv.traceID)
	h.Set("Content-Type", "application/json")
	_, _ = w.Write(inv.payload)
}

func (in *instance) handleResult(isError bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		body, err := io.ReadAll(io.LimitReader(r.Body, maxResponseBytes+1))
		if err != nil {
			runtimeError(w, http.StatusBadRequest, "InvalidRequest", "cannot read the body")
			return
		}
		in.mu.Lock()
		inv := in.current
		if inv == nil || inv.id != id {
			in.mu.Unlock()
			runtimeError(w, http.StatusBadRequest, "InvalidRequestID", "unknown or finished request id "+id)
			return
		}
		in.current = nil
		in.mu.Unlock()

		res := result{body: body}
		switch {
		case isError:
			res.errType = r.Header.Get("Lambda-Runtime-Function-Error-Type")
			if res.errType == "" {
				res.errType = "Unhandled"
			}
		case r.Trailer.Get("Lambda-Runtime-Function-Error-Type") != "":
			res.errType = r.Trailer.Get("Lambda-Runtime-Function-Error-Type")
		case len(body) > maxResponseBytes:
			res = result{errType: "Function.ResponseSizeTooLarge",
				body: []byte(`{"errorMessage":"response payload exceeds Lambda's 6 MB limit"}`)}
		}
		inv.done <- res
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"status":"OK"}`))
	}
}

func (in *instance) handleInitError(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	msg := errorMessage(body)
	select {
	case in.initErr <- msg:
	default:
	}
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte(`{"status":"OK"}`))
}

// errorMessage extracts errorType and errorMessage from a Lambda error document.
func errorMessage(body []byte) string {
	var doc struct {
		Type    string `json:"errorType"`
		Message string `json:"errorMessage"`
	}
	if json.Unmarshal(body, &doc) == nil && (doc.Type != "" || doc.Message != "") {
		if doc.Type == "" {
			return doc.Message
		}
		return doc.Type + ": " + doc.Message
	}
	if len(body) > 200 {
		body = body[:200]
	}
	return string(bytes.TrimSpace(body))
}

func runtimeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"errorType": typ, "errorMessage": msg})
}

// stop ends the process: SIGKILL at once when hard, else SIGTERM and SIGKILL
// after grace. It waits for the process and the Runtime API server to end.
func (in *instance) stop(hard bool, grace time.Duration) {
	in.mu.Lock()
	already := in.stopped
	in.stopped = true
	in.mu.Unlock()
	if !already {
		if hard {
			_ = in.cmd.Process.Kill()
		} else {
			_ = in.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-in.exited:
			case <-time.After(grace):
				_ = in.cmd.Process.Kill()
			}
		}
	}
	<-in.exited
	_ = in.srv.Close()
	<-in.served
}

// lineWriterFactory copies function output to one writer line by line, so
// that lines of concurrent processes never interleave. Lines that are not
// JSON (a panic's stack trace) are wrapped in a JSON object.
type lineWriterFactory struct {
	mu  sync.Mutex
	out io.Writer
}

func (f *lineWriterFactory) writer(function, stream string) io.Writer {
	return &lineWriter{f: f, function: function, stream: stream}
}

type lineWriter struct {
	f                *lineWriterFactory
	function, stream string
	mu               sync.Mutex
	buf              []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			break
		}
		l.emit(l.buf[:i])
		l.buf = l.buf[i+1:]
	}
	if len(l.buf) > 64<<10 { // a runaway line: emit what we have
		l.emit(l.buf)
		l.buf = nil
	}
	return len(p), nil
}

func (l *lineWriter) emit(line []byte) {
	line = bytes.TrimRight(line, "\r")
	if len(bytes.TrimSpace(line)) == 0 {
		return
	}
	var out []byte
	if line[0] == '{' && json.Valid(line) {
		out = append(append(out, line...), '\n')
	} else {
		out, _ = json.Marshal(map[string]string{"function": l.function, "stream": l.stream, "msg": string(line)})
		out = append(out, '\n')
	}
	l.f.mu.Lock()
	_, _ = l.f.out.Write(out)
	l.f.mu.Unlock()
}

func flushWriter(w io.Writer) {
	if l, ok := w.(*lineWriter); ok {
		l.mu.Lock()
		if len(l.buf) > 0 {
			l.emit(l.buf)
			l.buf = nil
		}
		l.mu.Unlock()
	}
}
