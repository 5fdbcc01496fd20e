package identityhttp

import (
	"context"
	"maps"
	"strings"
	"testing"

	"roster/shared/api"
	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/telemetry"
	"roster/shared/testenv"
)

// TestNoEnumeration: asking for a password reset or a new verification
// link answers the same status and body for an address with a login, one
// whose login is confirmed already, and one with none, and costs the same
// DynamoDB calls and capacity, so that neither the answer nor its time
// tells them apart. Only the login that needs the mail gets it.
func TestNoEnumeration(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	svc := identity.NewService(e.Store)
	unverified, verified := e.User(t, false), e.User(t, true)
	unknown := testenv.UniqueEmail(t)
	tests := []struct {
		name     string
		h        api.HandlerFunc
		event    string
		page     string
		wantMail map[string]bool
	}{
		{"password reset", newPasswordReset(svc), "auth-password-reset.json", "/reset#token=",
			map[string]bool{unverified.Email: true, verified.Email: true}},
		{"verification link", newRequestVerification(svc), "auth-verification.json", "/verify#token=",
			map[string]bool{unverified.Email: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var first api.Response
			var firstCost telemetry.Summary
			for i, email := range []string{unverified.Email, verified.Email, unknown} {
				c, rec := telemetry.WithRecorder(context.Background())
				req := fixture.Request(t, tt.event, map[string]string{"email": email}, "")
				resp, err := tt.h(c, req)
				if err != nil {
					resp = api.Error(c, err)
				}
				fixture.Contract(t, req, resp)
				cost := rec.Summary()
				t.Logf("%s: %d, %v %g RCU %g WCU, %.2f ms in DynamoDB", email, resp.StatusCode, cost.ByOp, cost.RCU, cost.WCU, cost.MS)
				if i == 0 {
					first, firstCost = resp, cost
					if resp.StatusCode != 202 {
						t.Fatalf("status: got %d %s, want 202", resp.StatusCode, resp.Body)
					}
					continue
				}
				if resp.StatusCode != first.StatusCode || resp.Body != first.Body {
					t.Errorf("%s: got %d %s, want %d %s", email, resp.StatusCode, resp.Body, first.StatusCode, first.Body)
				}
				if !maps.Equal(cost.ByOp, firstCost.ByOp) || cost.RCU != firstCost.RCU || cost.WCU != firstCost.WCU {
					t.Errorf("%s: cost %v %g RCU %g WCU, want %v %g RCU %g WCU", email, cost.ByOp, cost.RCU, cost.WCU, firstCost.ByOp, firstCost.RCU, firstCost.WCU)
				}
			}
			e.SendMail(t)
			for _, email := range []string{unverified.Email, verified.Email, unknown} {
				got := 0
				for _, m := range testenv.MailTo(t, email) {
					if strings.Contains(m.Body.Text, fixture.SiteURL+tt.page) {
						got++
					}
				}
				if want := map[bool]int{true: 1}[tt.wantMail[email]]; got != want {
					t.Errorf("%s: got %d mails with %s, want %d", email, got, tt.page, want)
				}
			}
		})
	}
}
