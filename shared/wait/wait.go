// Package wait pauses for backoffs and polls, unless the context ends first.
package wait

import (
	"context"
	"time"
)

// For waits d, or until ctx is done (returning its error).
func For(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
