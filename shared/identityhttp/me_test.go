package identityhttp

import (
	"context"
	"strings"
	"testing"
	"time"

	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/telemetry"
)

func TestMe(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newMe(e.Auth, identity.NewService(e.Store))
	u, unverified, other := e.User(t, true), e.User(t, false), e.User(t, true)
	cookie := e.SignIn(t, u)
	revoked := e.SignIn(t, u)
	_, hash, _ := e.Auth.SessionToken(fixture.Request(t, "me.json", nil, revoked))
	if err := e.Store.DeleteSession(context.Background(), hash); err != nil {
		t.Fatal(err)
	}
	sess, token := auth.NewSession(u, auth.ClientOf(fixture.Request(t, "me.json", nil, "")), time.Now().Add(-13*time.Hour))
	if err := e.Store.CreateSession(context.Background(), sess); err != nil {
		t.Fatal(err)
	}
	expired := auth.CookieName(false) + "=" + u.ID + "." + token
	_, otherToken, _ := strings.Cut(e.SignIn(t, other), ".")
	tampered := []byte(cookie)
	tampered[len(tampered)-3] ^= 1

	tests := []struct {
		name         string
		cookie       string
		wantStatus   int
		wantID       string
		wantVerified bool
	}{
		{"signed in", cookie, 200, u.ID, true},
		{"unverified may read", e.SignIn(t, unverified), 200, unverified.ID, false},
		{"no cookie", "", 401, "", false},
		{"tampered token", string(tampered), 401, "", false},
		{"revoked session", revoked, 401, "", false},
		{"expired session", expired, 401, "", false},
		{"another user's token under this id", auth.CookieName(false) + "=" + u.ID + "." + otherToken, 401, "", false},
		{"no user id", auth.CookieName(false) + "=." + otherToken, 401, "", false},
		{"garbage", auth.CookieName(false) + "=%%%", 401, "", false},
		{"the Secure cookie's name over http", auth.CookieName(true) + strings.TrimPrefix(cookie, auth.CookieName(false)), 401, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := fixture.Call(t, h, fixture.Request(t, "me.json", nil, tt.cookie))
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d, want %d (%s)", resp.StatusCode, tt.wantStatus, resp.Body)
			}
			if tt.wantStatus != 200 {
				if code := fixture.ErrorOf(t, resp).Error.Code; code != "unauthenticated" {
					t.Errorf("code: got %s, want unauthenticated", code)
				}
				return
			}
			var got map[string]any
			fixture.Decode(t, resp, &got)
			for _, k := range []string{"id", "email", "firstName", "lastName", "emailVerified", "twoFactorEnabled"} {
				if _, ok := got[k]; !ok {
					t.Errorf("field %s missing from %s", k, resp.Body)
				}
			}
			if got["id"] != tt.wantID || got["emailVerified"] != tt.wantVerified {
				t.Errorf("got %v, want id %s verified %v", got, tt.wantID, tt.wantVerified)
			}
			if strings.Contains(resp.Body, "argon2") || strings.Contains(strings.ToLower(resp.Body), "secret") {
				t.Errorf("secrets in %s", resp.Body)
			}
		})
	}
	var p domain.Profile
	fixture.Decode(t, fixture.Call(t, h, fixture.Request(t, "me.json", nil, cookie)), &p)
	if p.Email != u.Email || p.FirstName != "Ada" || p.LastName != "Lovelace" {
		t.Errorf("profile: got %+v", p)
	}
}

// BenchmarkAuthenticatedCost reports the DynamoDB calls and capacity of
// GET /api/me, and of authenticating alone (go test -run '^$' -bench AuthenticatedCost ./shared/identityhttp).
func BenchmarkAuthenticatedCost(b *testing.B) {
	e := fixture.New(b)
	h := newMe(e.Auth, identity.NewService(e.Store))
	u := e.User(b, true)
	req := fixture.Request(b, "me.json", nil, e.SignIn(b, u))
	for _, bc := range []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"authenticate", func(ctx context.Context) error { _, err := e.Auth.Session(ctx, req); return err }},
		{"me", func(ctx context.Context) error { _, err := h(ctx, req); return err }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var calls, rcu, wcu float64
			for b.Loop() {
				c, rec := telemetry.WithRecorder(context.Background())
				if err := bc.run(c); err != nil {
					b.Fatal(err)
				}
				s := rec.Summary()
				calls, rcu, wcu = calls+float64(s.Calls), rcu+s.RCU, wcu+s.WCU
			}
			n := float64(b.N)
			b.ReportMetric(calls/n, "ddbcalls/op")
			b.ReportMetric(rcu/n, "RCU/op")
			b.ReportMetric(wcu/n, "WCU/op")
		})
	}
}
