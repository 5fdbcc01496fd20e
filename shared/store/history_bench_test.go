package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"roster/shared/domain"
	"roster/shared/history"
	"roster/shared/store"
	"roster/shared/telemetry"
	"roster/shared/testenv"
)

// BenchmarkHistory measures the history reads of one account holding many
// events (ROSTER_BENCH_HISTORY_EVENTS, for example 100000; the benchmark is
// skipped without it so that normal runs stay fast). The events are seeded
// with BatchWriteItem, spread evenly over the last 24 months: 70% member
// actions on 200 members, 25% invitation actions, 5% account actions. Each
// sub-benchmark reports the DynamoDB calls, read units and DynamoDB time of
// one page of 50:
//
//	ROSTER_BENCH_HISTORY_EVENTS=100000 go test -run '^$' -bench BenchmarkHistory -benchtime 20x ./shared/store/
func BenchmarkHistory(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("ROSTER_BENCH_HISTORY_EVENTS"))
	if n <= 0 {
		b.Skip("set ROSTER_BENCH_HISTORY_EVENTS (for example 100000) to seed and measure a large history")
	}
	db, table := testenv.NewTable(b)
	now := time.Now().UTC().Truncate(time.Second)
	s := store.New(db, table).WithClock(func() time.Time { return now })
	const acct = "bench"
	span := now.Sub(now.AddDate(-2, 0, 0))
	step := span / time.Duration(n)
	at := func(i int) time.Time { return now.Add(-time.Duration(i+1) * step) } // i = 0 is the newest
	id := func(i int) string { return fmt.Sprintf("%08d", i) }
	event := func(i int) domain.AuditEvent {
		action, member := domain.ActionMemberPermissions, fmt.Sprintf("member-%03d", i%200)
		switch r := i % 20; {
		case r == 0:
			action, member = domain.ActionAccountRenamed, ""
		case r <= 5:
			action, member = domain.ActionInvitationCreated, ""
		case r <= 8:
			action = domain.ActionMemberRole
		}
		return domain.AuditEvent{ID: id(i), AccountID: acct, At: at(i), Action: action,
			Actor:     domain.EventActor{UserID: "owner", Email: "owner@example.com", Name: "Owner Person"},
			Target:    domain.EventTarget{Kind: history.KindOf(action), ID: "t" + id(i), UserID: member, Email: "someone@example.com", Name: "Some One"},
			Before:    map[string]any{"role": "member", "permissions": domain.PermissionSet{Granted: []string{"users.view", "billing.view"}}},
			After:     map[string]any{"role": "admin", "permissions": domain.PermissionSet{Granted: []string{"users.view", "billing.view", "history.view"}}},
			RequestID: "req-" + id(i), SourceIP: "203.0.113.7", UserAgent: "Mozilla/5.0 (benchmark)"}
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	const workers = 16
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			batch := make([]domain.AuditEvent, 0, 500)
			for i := w; i < n; i += workers {
				batch = append(batch, event(i))
				if len(batch) == cap(batch) || i+workers >= n {
					if err := s.LoadEvents(context.Background(), batch); err != nil {
						errs <- err
						return
					}
					batch = batch[:0]
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.Logf("seeded %d events in %s", n, time.Since(start).Round(time.Millisecond))

	pos := func(i int) string { return at(i).UTC().Format("2006-01-02T15:04:05.000000000Z") + "#" + id(i) }
	type bench struct {
		name string
		q    store.HistoryQuery
	}
	var benches []bench
	for _, p := range history.Periods {
		benches = append(benches, bench{"first page/" + string(p), store.HistoryQuery{AccountID: acct, From: p.Start(now), Limit: 50}})
	}
	benches = append(benches,
		bench{"deep page/all at 90%", store.HistoryQuery{AccountID: acct, Limit: 50, After: pos(n * 9 / 10)}},
		bench{"first page/12m kind=invitation (GSI2)", store.HistoryQuery{AccountID: acct, From: history.Period12M.Start(now), Kind: "invitation", Limit: 50}},
		bench{"first page/12m action=account.renamed (filter)", store.HistoryQuery{AccountID: acct, From: history.Period12M.Start(now), Actions: []string{domain.ActionAccountRenamed}, Limit: 50}},
		bench{"first page/12m member (GSI1)", store.HistoryQuery{AccountID: acct, MemberID: "member-007", From: history.Period12M.Start(now), Limit: 50}},
	)
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			var calls int
			var rcu float64
			var ddb time.Duration
			var got int
			for b.Loop() {
				ctx, rec := telemetry.WithRecorder(context.Background())
				page, err := s.History(ctx, bb.q)
				if err != nil {
					b.Fatal(err)
				}
				sum := rec.Summary()
				calls += sum.Calls
				rcu += sum.RCU
				ddb += sum.Duration
				got = len(page.Events)
			}
			b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
			b.ReportMetric(rcu/float64(b.N), "RCU/op")
			b.ReportMetric(float64(ddb.Microseconds())/1000/float64(b.N), "ddb-ms/op")
			b.ReportMetric(float64(got), "events/page")
		})
	}
}
