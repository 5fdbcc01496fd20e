// Package telemetry counts what a request costs: the DynamoDB calls it made
// and the capacity they consumed. One SDK middleware feeds a per-request
// Recorder carried in the context; the API wrapper logs it and returns it in
// a Server-Timing header.
package telemetry

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Call is one DynamoDB API call.
type Call struct {
	Op       string
	RCU, WCU float64
	// Items is how many items the call read: those a Query examined
	// (ScannedCount, filtered or not) or a get found.
	Items    int
	Duration time.Duration
}

// Recorder collects the calls of one request. It is safe for concurrent use.
type Recorder struct {
	mu    sync.Mutex
	calls []Call
}

type recorderKey struct{}

// WithRecorder returns a context that records DynamoDB calls into a new Recorder.
func WithRecorder(ctx context.Context) (context.Context, *Recorder) {
	r := &Recorder{}
	return context.WithValue(ctx, recorderKey{}, r), r
}

// FromContext returns the context's Recorder, or nil.
func FromContext(ctx context.Context) *Recorder {
	r, _ := ctx.Value(recorderKey{}).(*Recorder)
	return r
}

// Add records one call.
func (r *Recorder) Add(c Call) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
}

// Summary totals the recorded calls.
type Summary struct {
	Calls    int            `json:"calls"`
	RCU      float64        `json:"rcu"`
	WCU      float64        `json:"wcu"`
	Items    int            `json:"items"`
	Duration time.Duration  `json:"-"`
	MS       float64        `json:"ms"`
	ByOp     map[string]int `json:"ops,omitempty"`
}

// Summary returns the totals so far.
func (r *Recorder) Summary() Summary {
	s := Summary{ByOp: map[string]int{}}
	if r == nil {
		return s
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.calls {
		s.Calls++
		s.RCU += c.RCU
		s.WCU += c.WCU
		s.Items += c.Items
		s.Duration += c.Duration
		s.ByOp[c.Op]++
	}
	s.MS = float64(s.Duration.Microseconds()) / 1000
	return s
}

// ServerTiming renders the summary as a Server-Timing metric named "ddb",
// for example: ddb;dur=3.2;desc="2 calls (GetItem, Query) 1.5 RCU 0 WCU 12
// items".
func (s Summary) ServerTiming() string {
	ops := make([]string, 0, len(s.ByOp))
	for op, n := range s.ByOp {
		if n > 1 {
			op = fmt.Sprintf("%s×%d", op, n)
		}
		ops = append(ops, op)
	}
	sort.Strings(ops)
	desc := fmt.Sprintf("%d calls", s.Calls)
	if len(ops) > 0 {
		desc += " (" + strings.Join(ops, " ") + ")"
	}
	desc += fmt.Sprintf(" %g RCU %g WCU %d items", round(s.RCU), round(s.WCU), s.Items)
	return fmt.Sprintf(`ddb;dur=%.1f;desc="%s"`, float64(s.Duration.Microseconds())/1000, desc)
}

func round(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }
