package app

import (
	"context"
	"net/http"
	"time"

	"roster/shared/api"
	"roster/shared/domain"
)

// healthPinger is the part of the store the health check needs.
type healthPinger interface {
	Ping(ctx context.Context) error
}

// healthHandler answers GET /api/health.
type healthHandler struct {
	table healthPinger
	// timeout bounds the table check, so that an unreachable table is a
	// prompt 503 rather than the SDK's retries running into the function's
	// own timeout.
	timeout time.Duration
}

// newHealthHandler returns a health handler over table.
func newHealthHandler(table healthPinger) *healthHandler {
	return &healthHandler{table: table, timeout: 2 * time.Second}
}

// Handle returns 200 {"status":"ok"} when the table answers a read, and a
// 503 unavailable error when it does not.
func (h *healthHandler) Handle(ctx context.Context, _ api.Request) (api.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	if err := h.table.Ping(ctx); err != nil {
		api.Logger(ctx).ErrorContext(ctx, "table unreachable", "err", err.Error())
		return api.Response{}, domain.Errorf(domain.EUnavailable, "The database is not reachable. Please try again shortly.")
	}
	return api.JSON(http.StatusOK, api.Notice{Status: "ok"}), nil
}

// Health is the health function's handler.
func Health(d Deps) api.HandlerFunc { return newHealthHandler(d.Store()).Handle }
