package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"testing"

	"roster/shared/api"
	"roster/shared/store"
	"roster/shared/telemetry"
	"roster/shared/testenv"
)

func TestHealthy(t *testing.T) {
	t.Parallel()
	h := newHealthHandler(testenv.NewStore(t))
	ctx, rec := telemetry.WithRecorder(context.Background())

	resp, err := h.Handle(ctx, testenv.Event(t, "health.json"))
	if err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("status: got %d, want 200 (body %s)", resp.StatusCode, resp.Body)
	}
	var healthBody api.Notice
	if err := json.Unmarshal([]byte(resp.Body), &healthBody); err != nil || healthBody.Status != "ok" {
		t.Errorf("body: got %s, want {\"status\":\"ok\"}", resp.Body)
	}
	// The check is one eventually consistent GetItem: half a read unit.
	sum := rec.Summary()
	if sum.Calls != 1 || sum.ByOp["GetItem"] != 1 || sum.RCU != 0.5 {
		t.Errorf("cost: got %d calls %v RCU %v, want 1 GetItem, 0.5 RCU", sum.Calls, sum.ByOp, sum.RCU)
	}
}

func TestUnavailable(t *testing.T) {
	t.Parallel()
	// A port nobody listens on: the SDK cannot connect at all.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := fmt.Sprintf("http://%s", l.Addr())
	l.Close()

	tests := []struct {
		name  string
		store *store.Store
	}{
		{"missing table", store.New(testenv.DynamoDB(t), "no-such-table")},
		{"unreachable endpoint", store.New(store.NewClientFromConfig(testenv.AWSConfig(closed), true), "roster")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wrapped := api.Wrap("health", api.Options{Logger: discardLogger()}, newHealthHandler(tt.store).Handle)
			resp, err := wrapped(context.Background(), testenv.Event(t, "health.json"))
			if err != nil {
				t.Fatalf("handler error: %v", err)
			}
			if resp.StatusCode != 503 {
				t.Fatalf("status: got %d, want 503", resp.StatusCode)
			}
			var healthBody struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal([]byte(resp.Body), &healthBody); err != nil || healthBody.Error.Code != "unavailable" {
				t.Errorf("body: got %s, want an unavailable error", resp.Body)
			}
		})
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewJSONHandler(io.Discard, nil)) }
