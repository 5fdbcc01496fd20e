package gateway

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// initLimit is Lambda's limit on a function's init phase.
const initLimit = 10 * time.Second

// errClosed is returned once the gateway is closing.
var errClosed = errors.New("the gateway is shutting down")

// notBuiltError reports a missing bootstrap binary.
type notBuiltError struct{ function, path string }

func (e *notBuiltError) Error() string {
	return fmt.Sprintf("function %s is not built: no bootstrap at %s; run make build", e.function, e.path)
}

// function is one template function and its warm processes.
type function struct {
	name      string // LogicalID, also AWS_LAMBDA_FUNCTION_NAME
	bootstrap string // absolute path of the executable
	codeDir   string
	env       []string // complete process environment, minus the Runtime API address
	timeout   time.Duration
	arn       string
	logw      *lineWriterFactory

	sem     chan struct{} // one token per busy instance; cap is MaxConcurrency
	closing <-chan struct{}

	mu     sync.Mutex
	idle   []*instance // most recently used last
	all    map[*instance]struct{}
	starts int
	closed bool
}

// acquire returns an instance for one invocation: a warm idle one, else a
// newly started one (cold is true), waiting while MaxConcurrency instances
// are busy. The caller must call release.
func (f *function) acquire(ctx context.Context) (in *instance, cold bool, err error) {
	select {
	case f.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	case <-f.closing:
		return nil, false, errClosed
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		<-f.sem
		return nil, false, errClosed
	}
	for len(f.idle) > 0 {
		in = f.idle[len(f.idle)-1]
		f.idle = f.idle[:len(f.idle)-1]
		select {
		case <-in.exited: // died while idle
			delete(f.all, in)
			in.stop(true, 0)
			continue
		default:
		}
		f.mu.Unlock()
		return in, false, nil
	}
	f.mu.Unlock()

	in, err = f.start(ctx)
	if err != nil {
		<-f.sem
		return nil, true, err
	}
	return in, true, nil
}

// start starts one more process of f and waits until it asks for its first
// invocation. It returns a *notBuiltError, errClosed, or an error of the
// start or (wrapping errCrashed) of the init.
func (f *function) start(ctx context.Context) (*instance, error) {
	if st, err := os.Stat(f.bootstrap); err != nil || st.IsDir() {
		return nil, &notBuiltError{function: f.name, path: f.bootstrap}
	}
	in, err := startInstance(f, f.logw)
	if err != nil {
		return nil, fmt.Errorf("cannot start %s: %w", f.bootstrap, err)
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		in.stop(true, 0)
		return nil, errClosed
	}
	f.all[in] = struct{}{}
	f.starts++
	f.mu.Unlock()
	if err := in.waitInit(ctx, initLimit); err != nil {
		f.discard(in)
		return nil, fmt.Errorf("%w: %w", errCrashed, err)
	}
	return in, nil
}

// release returns in to the idle list when healthy, else ends its process.
func (f *function) release(in *instance, healthy bool) {
	if healthy {
		f.mu.Lock()
		if !f.closed {
			f.idle = append(f.idle, in)
			f.mu.Unlock()
			<-f.sem
			return
		}
		f.mu.Unlock()
	}
	f.discard(in)
	<-f.sem
}

// discard kills in at once and forgets it.
func (f *function) discard(in *instance) {
	in.stop(true, 0)
	f.mu.Lock()
	delete(f.all, in)
	f.mu.Unlock()
}

// shutdown stops every process of f: SIGTERM, then SIGKILL after grace.
func (f *function) shutdown(grace time.Duration) {
	f.mu.Lock()
	f.closed = true
	list := make([]*instance, 0, len(f.all))
	for in := range f.all {
		list = append(list, in)
	}
	f.all = map[*instance]struct{}{}
	f.idle = nil
	f.mu.Unlock()
	var wg sync.WaitGroup
	for _, in := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in.stop(false, grace)
		}()
	}
	wg.Wait()
}

// stats returns the number of live processes and of processes ever started.
func (f *function) stats() (live, started int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.all), f.starts
}
