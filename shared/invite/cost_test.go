package invite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/invite"
	"roster/shared/telemetry"
	"roster/shared/testenv"
)

// cost accumulates what the measured requests cost.
type cost struct {
	n          int
	calls      int
	rcu, wcu   float64
	ddb, total time.Duration
	ops        map[string]int
}

// measure runs one request (authentication included, as the handler does
// it) under a telemetry recorder and adds its cost.
func (c *cost) measure(b *testing.B, f func(ctx context.Context) error) {
	b.Helper()
	ctx, rec := telemetry.WithRecorder(context.Background())
	start := time.Now()
	if err := f(ctx); err != nil {
		b.Fatal(err)
	}
	c.total += time.Since(start)
	s := rec.Summary()
	c.n++
	c.calls += s.Calls
	c.rcu += s.RCU
	c.wcu += s.WCU
	c.ddb += s.Duration
	if c.ops == nil {
		c.ops = map[string]int{}
	}
	for op, k := range s.ByOp {
		c.ops[op] += k
	}
}

func (c *cost) report(b *testing.B) {
	if c.n == 0 {
		return
	}
	n := float64(c.n)
	b.ReportMetric(float64(c.calls)/n, "ddb-calls/op")
	b.ReportMetric(c.rcu/n, "RCU/op")
	b.ReportMetric(c.wcu/n, "WCU/op")
	b.ReportMetric(float64(c.ddb.Microseconds())/1000/n, "ddb-ms/op")
	b.ReportMetric(float64(c.total.Microseconds())/1000/n, "total-ms/op")
	ops := ""
	for op, k := range c.ops {
		ops += fmt.Sprintf(" %s=%.1f", op, float64(k)/n)
	}
	b.Logf("per request:%s", ops)
}

// BenchmarkCost measures DynamoDB calls, consumed capacity (as AWS would
// charge it) and latency per request of each invitation endpoint, against
// DynamoDB Local and the local SES, authentication included. The list is
// measured on an account holding ROSTER_BENCH_INVITES (10,000) pending
// invitations, seeded with BatchWriteItem.
//
//	go test -run '^$' -bench Cost -benchtime 50x ./shared/invite/
func BenchmarkCost(b *testing.B) {
	e := fixture.NewInvite(b)
	e.Config.PerHour = 1 << 30
	e.Config.ResendInterval = time.Nanosecond
	e.Config.MaxResends = 1 << 30
	e.Rebuild()
	a, owner, cookie := e.Account(b)
	memberReq := fixture.Request(b, "invitations-create.json", "", cookie, "accountId", a.ID)
	member := func(ctx context.Context) domain.Actor {
		actor, _, err := e.Auth.Member(ctx, memberReq, a.ID)
		if err != nil {
			b.Fatal(err)
		}
		return actor
	}
	create := func(ctx context.Context, email string) (invite.View, error) {
		c, err := e.Service.Create(ctx, member(ctx), a.ID, invite.CreateInput{Email: email, Role: "member", Permissions: &domain.PermissionSet{Granted: []string{"billing.view"}}}, "")
		return c.View, err
	}
	fresh := func() (invite.View, string) {
		email := testenv.UniqueEmail(b)
		v, err := create(context.Background(), email)
		if err != nil {
			b.Fatal(err)
		}
		toks := fixture.Tokens(b, email)
		return v, toks[len(toks)-1]
	}

	b.Run("create", func(b *testing.B) {
		var c cost
		for i := 0; i < b.N; i++ {
			email := testenv.UniqueEmail(b)
			c.measure(b, func(ctx context.Context) error { _, err := create(ctx, email); return err })
		}
		c.report(b)
	})
	b.Run("list-10000", func(b *testing.B) {
		big, bigOwner, bigCookie := e.Account(b)
		n := 10000
		proto := domain.Invitation{AccountID: big.ID, AccountName: big.Name, Email: "seed@example.com", Role: domain.RoleMember,
			Permissions: domain.PermissionSet{Granted: []string{"billing.view"}}, InviterID: bigOwner.ID, InviterName: "Ada Lovelace",
			InviterEmail: bigOwner.Email, CreatedAt: time.Now().UTC(), ExpiresAt: time.Now().Add(time.Hour), State: domain.InvitePending, Delivery: domain.DeliverySent}
		if err := e.Store.SeedInvitations(context.Background(), proto, n); err != nil {
			b.Fatal(err)
		}
		req := fixture.Request(b, "invitations-list.json", "", bigCookie, "accountId", big.ID)
		// The 100th page's cursor: a page deep in the list costs the same.
		cursor := ""
		for i := 0; i < 100; i++ {
			p, err := e.Service.List(context.Background(), domain.Actor{Role: domain.RoleOwner, Status: domain.StatusActive}, big.ID, cursor)
			if err != nil {
				b.Fatal(err)
			}
			cursor = p.Next
		}
		var c cost
		for i := 0; i < b.N; i++ {
			cur := ""
			if i%2 == 1 {
				cur = cursor
			}
			c.measure(b, func(ctx context.Context) error {
				actor, _, err := e.Auth.Member(ctx, req, big.ID)
				if err != nil {
					return err
				}
				p, err := e.Service.List(ctx, actor, big.ID, cur)
				if err == nil && len(p.Items) != invite.PageSize {
					err = fmt.Errorf("page of %d, want %d", len(p.Items), invite.PageSize)
				}
				return err
			})
		}
		c.report(b)
	})
	b.Run("resend", func(b *testing.B) {
		v, _ := fresh()
		var c cost
		for i := 0; i < b.N; i++ {
			c.measure(b, func(ctx context.Context) error { _, err := e.Service.Resend(ctx, member(ctx), a.ID, v.ID); return err })
		}
		c.report(b)
	})
	b.Run("revoke", func(b *testing.B) {
		var c cost
		for i := 0; i < b.N; i++ {
			v, _ := fresh()
			c.measure(b, func(ctx context.Context) error { return e.Service.Revoke(ctx, member(ctx), a.ID, v.ID) })
		}
		c.report(b)
	})
	b.Run("preview", func(b *testing.B) {
		_, token := fresh()
		var c cost
		for i := 0; i < b.N; i++ {
			c.measure(b, func(ctx context.Context) error { _, err := e.Service.Preview(ctx, token); return err })
		}
		c.report(b)
	})
	b.Run("accept", func(b *testing.B) {
		var c cost
		for i := 0; i < b.N; i++ {
			u, uc := e.SignedUser(b, true)
			_, token := e.Invite(b, a, owner, u.Email, "member", "billing.view")
			req := fixture.Request(b, "invitation-accept.json", "", uc)
			c.measure(b, func(ctx context.Context) error {
				sess, err := e.Auth.Verified(ctx, req)
				if err != nil {
					return err
				}
				_, err = e.Service.Accept(ctx, domain.Actor{UserID: sess.UserID}, token)
				return err
			})
		}
		c.report(b)
	})
}
