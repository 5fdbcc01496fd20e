package identityhttp

import (
	"context"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/testenv"
)

// TestResetTimingFigures measures, for the notes, the time of 60 password
// resets of addresses with a login against 60 without, alternating (each
// from its own source address, within the limits): the medians should be
// within noise. Skipped unless ROSTER_FIGURES=1:
//
//	ROSTER_FIGURES=1 go test ./shared/identityhttp -run TestResetTimingFigures -v
func TestResetTimingFigures(t *testing.T) {
	if os.Getenv("ROSTER_FIGURES") != "1" {
		t.Skip("set ROSTER_FIGURES=1 to measure")
	}
	e := fixture.New(t)
	h := newPasswordReset(identity.NewService(e.Store))
	var known, unknown []float64
	for i := 0; i < 60; i++ {
		u := e.User(t, true)
		for _, email := range []string{u.Email, testenv.UniqueEmail(t)} {
			req := fixture.Request(t, "auth-password-reset.json", map[string]string{"email": email}, "")
			req.RequestContext.HTTP.SourceIP = fmt.Sprintf("198.51.%d.%d", i, len(known))
			start := time.Now()
			resp, _ := h(context.Background(), req)
			ms := float64(time.Since(start).Microseconds()) / 1000
			if resp.StatusCode != 202 {
				t.Fatalf("got %d", resp.StatusCode)
			}
			if email == u.Email {
				known = append(known, ms)
			} else {
				unknown = append(unknown, ms)
			}
		}
	}
	med := func(v []float64) float64 { sort.Float64s(v); return v[len(v)/2] }
	t.Logf("reset: known median %.2f ms (p90 %.2f), unknown median %.2f ms (p90 %.2f)", med(known), known[len(known)*9/10], med(unknown), unknown[len(unknown)*9/10])
}
