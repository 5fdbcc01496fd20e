package gateway

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"roster/infra/local/gateway/internal/echofn"
)

// BenchmarkGatewayWarm measures one warm request through ServeHTTP to the
// echo function's bootstrap process: event mapping, the Runtime API round
// trip and response mapping.
func BenchmarkGatewayWarm(b *testing.B) {
	e := newTestEnv(b, 1)
	serve := func() {
		w := httptest.NewRecorder()
		e.g.ServeHTTP(w, httptest.NewRequest("GET", "/api/echo?a=1", nil))
		if w.Code != 200 {
			b.Fatalf("got status %v, want 200: %s", w.Code, w.Body)
		}
	}
	serve() // cold start outside the measurement
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		serve()
	}
}

// BenchmarkDirectHandler calls the same handler in-process with the same
// event, so the difference to BenchmarkGatewayWarm is the gateway's cost.
func BenchmarkDirectHandler(b *testing.B) {
	e := newTestEnv(b, 1)
	r := httptest.NewRequest("GET", "/api/echo?a=1", nil)
	m, ok := e.g.router.lookup("GET", "/api/echo")
	if !ok {
		b.Fatal("no route for GET /api/echo")
	}
	payload, err := json.Marshal(buildEvent(r, m, nil, newRequestID(), time.Now()))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		out, err := echofn.Handler{}.Invoke(ctx, payload)
		if err != nil || len(out) == 0 {
			b.Fatalf("Invoke: %v", err)
		}
	}
}
