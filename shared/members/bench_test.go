package members_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	localseed "roster/infra/local/seed"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/members"
	"roster/shared/telemetry"
)

// benchMembers is the size of the benchmarks' account.
const benchMembers = 10_000

var (
	benchOnce    sync.Once
	benchFixture *fixture.AccountEnv
	benchTarget  fixture.Person
)

// bigAccount returns an account of benchMembers members, seeded once per
// test binary with BatchWriteItem (8 writers): about a minute on DynamoDB
// Local, so only the benchmarks pay it.
func bigAccount(b *testing.B) (*fixture.AccountEnv, fixture.Person) {
	benchOnce.Do(func() {
		f := fixture.NewAccount(b)
		seedBig(b, f)
		benchFixture = f
		benchTarget = f.Add(b, "Tara", "Target", domain.RoleMember, "billing.view")
	})
	if benchFixture == nil {
		b.Fatal("seeding failed")
	}
	return benchFixture, benchTarget
}

// measure runs op b.N times, each as one request would: authenticate the
// actor (one BatchGetItem) and call the service, and reports the DynamoDB
// calls, read and write units per request beside the time.
func measure(b *testing.B, f *fixture.AccountEnv, op func(ctx context.Context, actor domain.Actor) error) {
	b.Helper()
	var calls, rcu, wcu float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx, rec := telemetry.WithRecorder(context.Background())
		actor, _, err := f.Auth.Member(ctx, fixture.Bare("GET", f.Owner.Cookie, nil), f.Account.ID)
		if err != nil {
			b.Fatal(err)
		}
		if err := op(ctx, actor); err != nil {
			b.Fatal(err)
		}
		s := rec.Summary()
		calls += float64(s.Calls)
		rcu += s.RCU
		wcu += s.WCU
		if i == 0 {
			b.Logf("%s: %s", b.Name(), s.ServerTiming())
		}
	}
	n := float64(b.N)
	b.ReportMetric(calls/n, "calls/op")
	b.ReportMetric(rcu/n, "RCU/op")
	b.ReportMetric(wcu/n, "WCU/op")
}

// BenchmarkMembers10k measures the member endpoints' work against an
// account of 10,000 members (a tenth deactivated): go test -run '^$' -bench
// Members10k ./shared/members/
func BenchmarkMembers10k(b *testing.B) {
	f, target := bigAccount(b)
	ctx := context.Background()
	owner := f.MustActor(b, f.Owner.Cookie)
	first, err := f.Service.List(ctx, owner, f.Account.ID, members.ListQuery{})
	if err != nil || first.Next == "" {
		b.Fatalf("first page: %v", err)
	}
	// A cursor deep into the list: page 100.
	cursor := first.Next
	for range 98 {
		p, err := f.Service.List(ctx, owner, f.Account.ID, members.ListQuery{Cursor: cursor})
		if err != nil || p.Next == "" {
			b.Fatalf("paging: %v", err)
		}
		cursor = p.Next
	}
	b.Run("first-page", func(b *testing.B) {
		measure(b, f, func(ctx context.Context, a domain.Actor) error {
			p, err := f.Service.List(ctx, a, f.Account.ID, members.ListQuery{})
			if err == nil && len(p.Items) != members.DefaultLimit {
				err = fmt.Errorf("got %d members", len(p.Items))
			}
			return err
		})
	})
	b.Run("page-100", func(b *testing.B) {
		measure(b, f, func(ctx context.Context, a domain.Actor) error {
			p, err := f.Service.List(ctx, a, f.Account.ID, members.ListQuery{Cursor: cursor})
			if err == nil && len(p.Items) != members.DefaultLimit {
				err = fmt.Errorf("got %d members", len(p.Items))
			}
			return err
		})
	})
	// "hop" matches 625 members (Grace Hopper's last name), 50 a page.
	b.Run("search-page", func(b *testing.B) {
		measure(b, f, func(ctx context.Context, a domain.Actor) error {
			p, err := f.Service.List(ctx, a, f.Account.ID, members.ListQuery{Q: "hop"})
			if err == nil && len(p.Items) != members.DefaultLimit {
				err = fmt.Errorf("got %d members", len(p.Items))
			}
			return err
		})
	})
	// "jose1234" matches one member by first name.
	b.Run("search-one", func(b *testing.B) {
		measure(b, f, func(ctx context.Context, a domain.Actor) error {
			p, err := f.Service.List(ctx, a, f.Account.ID, members.ListQuery{Q: "José1215"})
			if err == nil && len(p.Items) != 1 {
				err = fmt.Errorf("got %d members", len(p.Items))
			}
			return err
		})
	})
	b.Run("member-read", func(b *testing.B) {
		measure(b, f, func(ctx context.Context, a domain.Actor) error {
			_, err := f.Service.Get(ctx, a, f.Account.ID, target.User.ID)
			return err
		})
	})
	b.Run("permission-save", func(b *testing.B) {
		sets := []*domain.PermissionSet{perms("billing.view", "users.view"), perms("billing.view")}
		i, v := 0, f.Membership(b, target.User.ID).Version
		measure(b, f, func(ctx context.Context, a domain.Actor) error {
			i++
			m, err := f.Service.Update(ctx, a, f.Account.ID, target.User.ID, members.Edit{Version: v, Permissions: sets[i%2]})
			v = m.Version
			return err
		})
	})
}

// seedBig adds benchMembers members to the fixture's account with
// BatchWriteItem (8 writers); a tenth of them are deactivated. First names
// cycle through 16 (with the index appended), last names through 16.
func seedBig(t testing.TB, f *fixture.AccountEnv) {
	t.Helper()
	seedGrid(t, f, benchMembers)
}

// seedGrid seeds n members named from a grid of 16 first and 16 last names
// (localseed.Members: first names numbered, every tenth deactivated).
func seedGrid(t testing.TB, f *fixture.AccountEnv, n int) {
	t.Helper()
	if err := localseed.Write(context.Background(), f.Store, localseed.Members(f.Account, n, time.Now())); err != nil {
		t.Fatalf("seed: %v", err)
	}
}
