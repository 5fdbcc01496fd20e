package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/domain"
	"roster/shared/history"
	"roster/shared/store"
	"roster/shared/telemetry"
	"roster/shared/testenv"
)

// histNow is the fixed "now" of the history tests.
var histNow = time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)

func histEvent(acct, id, action, member string, at time.Time) domain.AuditEvent {
	ev := domain.AuditEvent{ID: id, AccountID: acct, At: at, Action: action,
		Actor:  domain.EventActor{UserID: "actor", Email: "actor@example.com", Name: "Actor"},
		Target: domain.EventTarget{Kind: history.KindOf(action), ID: "t-" + id}}
	if member != "" {
		ev.Target.UserID = member
	}
	return ev
}

func histIDs(p store.HistoryPage) []string {
	out := []string{}
	for _, e := range p.Events {
		out = append(out, e.ID)
	}
	return out
}

func TestHistoryPeriodBoundaries(t *testing.T) {
	t.Parallel()
	s := testenv.NewStore(t).WithClock(func() time.Time { return histNow })
	ctx := context.Background()
	for _, p := range history.Periods {
		if p == history.PeriodAll {
			continue
		}
		start := p.Start(histNow)
		acct := "acct-" + string(p)
		err := s.RecordEvents(ctx,
			histEvent(acct, "outside", domain.ActionMemberRole, "", start.Add(-time.Nanosecond)),
			histEvent(acct, "boundary", domain.ActionMemberRole, "", start),
			histEvent(acct, "inside", domain.ActionMemberRole, "", start.Add(time.Nanosecond)),
			histEvent(acct, "now", domain.ActionMemberRole, "", histNow),
			histEvent(acct, "future", domain.ActionMemberRole, "", histNow.Add(time.Nanosecond)),
		)
		if err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		period history.Period
		start  time.Time
	}{
		{history.Period1W, time.Date(2026, 3, 24, 12, 0, 0, 0, time.UTC)},
		{history.Period2W, time.Date(2026, 3, 17, 12, 0, 0, 0, time.UTC)},
		{history.Period1M, time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)}, // 31 Feb normalizes to 3 Mar
		{history.Period3M, time.Date(2025, 12, 31, 12, 0, 0, 0, time.UTC)},
		{history.Period6M, time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)}, // 31 Sep is 1 Oct
		{history.Period12M, time.Date(2025, 3, 31, 12, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(string(tt.period), func(t *testing.T) {
			if got := tt.period.Start(histNow); !got.Equal(tt.start) {
				t.Errorf("start: got %v, want %v", got, tt.start)
			}
			page, err := s.History(ctx, store.HistoryQuery{AccountID: "acct-" + string(tt.period), From: tt.period.Start(histNow), Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := histIDs(page), []string{"now", "inside", "boundary"}; !slices.Equal(got, want) {
				t.Errorf("events: got %v, want %v", got, want)
			}
			if page.Next != "" {
				t.Errorf("next: got %q, want none", page.Next)
			}
		})
	}
	t.Run("all", func(t *testing.T) {
		page, err := s.History(ctx, store.HistoryQuery{AccountID: "acct-1w", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := histIDs(page), []string{"now", "inside", "boundary", "outside"}; !slices.Equal(got, want) {
			t.Errorf("events: got %v, want %v", got, want)
		}
	})
}

// pageAll reads every page of q, checking each is one Query.
func pageAll(t *testing.T, s *store.Store, q store.HistoryQuery) (ids []string, pages int) {
	t.Helper()
	for {
		ctx, rec := telemetry.WithRecorder(context.Background())
		page, err := s.History(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if sum := rec.Summary(); sum.Calls != 1 || sum.ByOp["Query"] != 1 {
			t.Fatalf("page %d: got %d calls %v, want one Query", pages+1, sum.Calls, sum.ByOp)
		}
		pages++
		ids = append(ids, histIDs(page)...)
		if page.Next == "" {
			return ids, pages
		}
		if pages > 100 {
			t.Fatal("paging does not end")
		}
		q.After = page.Next
	}
}

func TestHistoryPaging(t *testing.T) {
	t.Parallel()
	s := testenv.NewStore(t).WithClock(func() time.Time { return histNow })
	ctx := context.Background()
	actions := []string{domain.ActionMemberRole, domain.ActionInvitationCreated, domain.ActionAccountRenamed}
	var evs []domain.AuditEvent
	var want, wantMember, wantInvites, wantRenames []string
	for i := range 30 {
		id := fmt.Sprintf("e%02d", i)
		member := ""
		if i%2 == 0 {
			member = "m1"
		}
		a := actions[i%3]
		// Two events share each instant: the id orders them.
		evs = append(evs, histEvent("a1", id, a, member, histNow.Add(-time.Duration(30-i/2)*time.Hour)))
		want = append([]string{id}, want...)
		if member != "" {
			wantMember = append([]string{id}, wantMember...)
		}
		if a == domain.ActionInvitationCreated {
			wantInvites = append([]string{id}, wantInvites...)
		}
		if a == domain.ActionAccountRenamed {
			wantRenames = append([]string{id}, wantRenames...)
		}
	}
	// Noise in another account.
	evs = append(evs, histEvent("a2", "other", domain.ActionMemberRole, "m1", histNow))
	if err := s.RecordEvents(ctx, evs...); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		q         store.HistoryQuery
		want      []string
		wantPages int
	}{
		{"account, 3 pages", store.HistoryQuery{AccountID: "a1", Limit: 10}, want, 3},
		{"account, uneven pages", store.HistoryQuery{AccountID: "a1", Limit: 7}, want, 5},
		{"member", store.HistoryQuery{AccountID: "a1", MemberID: "m1", Limit: 6}, wantMember, 3},
		{"kind on its index, full pages", store.HistoryQuery{AccountID: "a1", Kind: "invitation", Limit: 5}, wantInvites, 2},
		{"exact action", store.HistoryQuery{AccountID: "a1", Actions: []string{domain.ActionAccountRenamed}, Limit: 4}, wantRenames, 3},
		{"member and kind", store.HistoryQuery{AccountID: "a1", MemberID: "m1", Kind: "account", Limit: 100},
			filter(wantMember, wantRenames), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, pages := pageAll(t, s, tt.q)
			if !slices.Equal(got, tt.want) {
				t.Errorf("events: got %v, want %v", got, tt.want)
			}
			if pages != tt.wantPages {
				t.Errorf("pages: got %d, want %d", pages, tt.wantPages)
			}
		})
	}
}

func filter(a, b []string) []string {
	out := []string{}
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func TestHistoryRetention(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	// Real time: DynamoDB Local leaves items whose TTL passed (by the real
	// clock) out of its indexes, so a fixed past date would hide them all.
	now := time.Now().UTC()
	s := store.New(db, table).WithClock(func() time.Time { return now }).WithHistoryRetention(30 * 24 * time.Hour)
	ctx := context.Background()
	if err := s.RecordEvents(ctx,
		histEvent("a1", "old", domain.ActionMemberRole, "m1", now.Add(-31*24*time.Hour)),
		histEvent("a1", "edge", domain.ActionMemberRole, "m1", now.Add(-30*24*time.Hour)),
		histEvent("a1", "young", domain.ActionMemberRole, "m1", now.Add(-29*24*time.Hour)),
	); err != nil {
		t.Fatal(err)
	}
	out, err := db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "ACCOUNT#a1#HISTORY"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range out.Items {
		n, ok := it[store.AttrExpiresAt].(*types.AttributeValueMemberN)
		if !ok {
			t.Errorf("event %v: got no expiresAt, want one", it["id"])
		}
		at, _ := time.Parse(time.RFC3339Nano, it["at"].(*types.AttributeValueMemberS).Value)
		if want := fmt.Sprint(at.Add(30 * 24 * time.Hour).Unix()); n.Value != want {
			t.Errorf("expiresAt: got %s, want %s", n.Value, want)
		}
	}
	for _, q := range []store.HistoryQuery{{AccountID: "a1", Limit: 10}, {AccountID: "a1", MemberID: "m1", Limit: 10}, {AccountID: "a1", Kind: "member", Limit: 10}} {
		page, err := s.History(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := histIDs(page), []string{"young"}; !slices.Equal(got, want) {
			t.Errorf("%+v: got %v, want %v (expired events are never returned)", q, got, want)
		}
	}
	// Without retention, events carry no expiry.
	keep := store.New(db, table)
	if err := keep.RecordEvents(ctx, histEvent("a2", "forever", domain.ActionMemberRole, "", now)); err != nil {
		t.Fatal(err)
	}
	out, err = db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "ACCOUNT#a2#HISTORY"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.Items[0][store.AttrExpiresAt]; ok {
		t.Errorf("expiresAt without retention: got one, want none")
	}
}

func TestMemberHasHistory(t *testing.T) {
	t.Parallel()
	s := testenv.NewStore(t)
	ctx := context.Background()
	if err := s.RecordEvents(ctx, histEvent("a1", "e1", domain.ActionMemberRemoved, "gone", time.Now())); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		acct, member string
		want         bool
	}{
		{"a1", "gone", true},
		{"a1", "never", false},
		{"a2", "gone", false},
	}
	for _, tt := range tests {
		got, err := s.MemberHasHistory(ctx, tt.acct, tt.member)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s/%s: got %v, want %v", tt.acct, tt.member, got, tt.want)
		}
	}
}
