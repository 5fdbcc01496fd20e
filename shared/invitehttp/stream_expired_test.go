package invitehttp

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/domain"
	"roster/shared/store"
	"roster/shared/testenv"
)

const expiredFixture = "../../events/stream-invitation-expired.json"

// realInvitation creates a pending invitation through the store and returns
// its expiry marker and the invitation item, as the table holds them.
func realInvitation(t *testing.T, db *dynamodb.Client, table string, s *store.Store, acct string, expires time.Time) (marker, invitation map[string]types.AttributeValue) {
	t.Helper()
	ctx := context.Background()
	inv := domain.Invitation{ID: store.NewID(), AccountID: acct, AccountName: "Acme", Email: testenv.UniqueEmail(t), FirstName: "Grace", LastName: "Hopper",
		Role: domain.RoleMember, Permissions: domain.PermissionSet{Granted: []string{"users.view"}}, InviterID: "u1", InviterName: "Ada",
		CreatedAt: expires.Add(-7 * 24 * time.Hour), ExpiresAt: expires, State: domain.InvitePending, Delivery: domain.DeliverySent, TokenHash: store.NewID()}
	ev := domain.AuditEvent{AccountID: acct, At: inv.CreatedAt, Action: domain.ActionInvitationCreated, Target: domain.EventTarget{Kind: "invitation", ID: inv.ID}}
	if err := s.CreateInvitation(ctx, store.NewInvitation{Invitation: inv, Event: ev}); err != nil {
		t.Fatalf("create invitation: %v", err)
	}
	get := func(sk string) map[string]types.AttributeValue {
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true), Key: map[string]types.AttributeValue{
			store.AttrPK: &types.AttributeValueMemberS{Value: "ACCOUNT#" + acct}, store.AttrSK: &types.AttributeValueMemberS{Value: sk}}})
		if err != nil || out.Item == nil {
			t.Fatalf("read item %s: %v %v", sk, out, err)
		}
		return out.Item
	}
	return get("INVEXPIRY#" + inv.ID), get("INVITE#" + inv.ID)
}

// record is the stream record of the item's deletion by principal.
func record(t *testing.T, old map[string]types.AttributeValue, seq, principal string) events.DynamoDBEventRecord {
	t.Helper()
	img := toStream(t, old)
	// TTL deletes an item some time after its expiry.
	at := time.Unix(1795446000, 0)
	if n, ok := old[store.AttrExpiresAt].(*types.AttributeValueMemberN); ok {
		if sec, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
			at = time.Unix(sec+3, 0)
		}
	}
	r := events.DynamoDBEventRecord{
		AWSRegion: "us-east-1", EventID: "ev-" + seq, EventName: "REMOVE", EventSource: "aws:dynamodb", EventVersion: "1.1",
		EventSourceArn: "arn:aws:dynamodb:us-east-1:123456789012:table/roster/stream/2026-01-01T00:00:00.000",
		Change: events.DynamoDBStreamRecord{
			ApproximateCreationDateTime: events.SecondsEpochTime{Time: at},
			Keys:                        map[string]events.DynamoDBAttributeValue{"PK": img["PK"], "SK": img["SK"]},
			OldImage:                    img, SequenceNumber: seq, SizeBytes: 512, StreamViewType: "NEW_AND_OLD_IMAGES",
		},
	}
	if principal != "" {
		r.UserIdentity = &events.DynamoDBUserIdentity{Type: "Service", PrincipalID: principal}
	}
	return r
}

// toStream converts an SDK item to a stream image through their JSON forms.
func toStream(t *testing.T, m map[string]types.AttributeValue) map[string]events.DynamoDBAttributeValue {
	t.Helper()
	out := map[string]events.DynamoDBAttributeValue{}
	for k, v := range m {
		out[k] = toStreamValue(v)
	}
	return out
}

func toStreamValue(v types.AttributeValue) events.DynamoDBAttributeValue {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(x.Value)
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(x.Value)
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(x.Value)
	case *types.AttributeValueMemberNULL:
		return events.NewNullAttribute()
	case *types.AttributeValueMemberB:
		return events.NewBinaryAttribute(x.Value)
	case *types.AttributeValueMemberSS:
		return events.NewStringSetAttribute(x.Value)
	case *types.AttributeValueMemberL:
		var l []events.DynamoDBAttributeValue
		for _, e := range x.Value {
			l = append(l, toStreamValue(e))
		}
		return events.NewListAttribute(l)
	case *types.AttributeValueMemberM:
		m := map[string]events.DynamoDBAttributeValue{}
		for k, e := range x.Value {
			m[k] = toStreamValue(e)
		}
		return events.NewMapAttribute(m)
	}
	panic("unexpected attribute type")
}

func expiredEvents(t *testing.T, s *store.Store, acct string) []domain.AuditEvent {
	t.Helper()
	page, err := s.History(context.Background(), store.HistoryQuery{AccountID: acct, Actions: []string{domain.ActionInvitationExpired}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return page.Events
}

func expiredQuiet() *slog.Logger { return slog.New(slog.NewJSONHandler(io.Discard, nil)) }

func TestExpiredOnceFromRealRecords(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	s := store.New(db, table)
	h := newExpiredHandler(s, expiredQuiet())
	acct := store.NewID()
	expires := time.Now().UTC().Add(-time.Minute).Truncate(time.Millisecond)
	item, _ := realInvitation(t, db, table, s, acct, expires)
	rec := record(t, item, "100", "dynamodb.amazonaws.com")

	if os.Getenv("ROSTER_UPDATE_EVENTS") == "1" {
		b, _ := json.MarshalIndent(events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{rec}}, "", "  ")
		if err := os.WriteFile(expiredFixture, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The same record twice in a batch, then the batch again (a retry).
	batch := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{rec, rec}}
	for i := range 2 {
		resp, err := h.Handle(context.Background(), batch)
		if err != nil || len(resp.BatchItemFailures) != 0 {
			t.Fatalf("delivery %d: got %v %v, want no failure", i+1, resp, err)
		}
	}
	evs := expiredEvents(t, s, acct)
	if len(evs) != 1 {
		t.Fatalf("expired events: got %d, want 1", len(evs))
	}
	ev := evs[0]
	if !ev.Actor.System || !ev.At.Equal(expires) || ev.Target.Kind != "invitation" || ev.Target.Name != "Grace Hopper" ||
		ev.ID != store.ExpiredEventID(ev.Target.ID, expires) {
		t.Errorf("event: got %+v, want a system event at the expiry about the invitation", ev)
	}
}

func TestIgnored(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	s := store.New(db, table)
	h := newExpiredHandler(s, expiredQuiet())
	acct := store.NewID()
	item, invitation := realInvitation(t, db, table, s, acct, time.Now().UTC().Add(-time.Hour))
	other := map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: "SESSION#x"}, "SK": &types.AttributeValueMemberS{Value: "SESSION"},
		"type": &types.AttributeValueMemberS{Value: "session"}}
	insert := record(t, item, "4", "dynamodb.amazonaws.com")
	insert.EventName = "INSERT"
	tests := []struct {
		name string
		rec  events.DynamoDBEventRecord
	}{
		{"deleted by a user, not TTL", record(t, item, "1", "")},
		{"deleted by another principal", record(t, item, "2", "someone.amazonaws.com")},
		// The invitation item itself, which TTL deletes InvitationRetention
		// after its expiry: its marker told the expiry already.
		{"the invitation item", record(t, invitation, "3", "dynamodb.amazonaws.com")},
		{"not a removal", insert},
		{"another item type", record(t, other, "5", "dynamodb.amazonaws.com")},
	}
	for _, tt := range tests {
		resp, err := h.Handle(context.Background(), events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{tt.rec}})
		if err != nil || len(resp.BatchItemFailures) != 0 {
			t.Errorf("%s: got %v %v, want no failure", tt.name, resp, err)
		}
		if got := len(expiredEvents(t, s, acct)); got != 0 {
			t.Errorf("%s: expired events: got %d, want 0", tt.name, got)
		}
	}
}

// TestSampleEvent feeds events/stream-invitation-expired.json (for sam local
// invoke -e) twice: one event.
func TestSampleEvent(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Clean(expiredFixture))
	if err != nil {
		t.Fatal(err)
	}
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	old, err := store.FromStreamImage(ev.Records[0].Change.OldImage)
	if err != nil {
		t.Fatal(err)
	}
	acct := old["accountId"].(*types.AttributeValueMemberS).Value
	s := testenv.NewStore(t)
	h := newExpiredHandler(s, expiredQuiet())
	for range 2 {
		if resp, err := h.Handle(context.Background(), ev); err != nil || len(resp.BatchItemFailures) != 0 {
			t.Fatalf("got %v %v, want no failure", resp, err)
		}
	}
	if got := len(expiredEvents(t, s, acct)); got != 1 {
		t.Errorf("expired events: got %d, want 1", got)
	}
}

// failing fails every write.
type failing struct{}

func (failing) RecordInvitationExpired(context.Context, map[string]types.AttributeValue) (bool, error) {
	return false, context.DeadlineExceeded
}

func TestFailureReported(t *testing.T) {
	t.Parallel()
	h := newExpiredHandler(failing{}, expiredQuiet())
	old := map[string]types.AttributeValue{"type": &types.AttributeValueMemberS{Value: "invitation"}}
	r1, r2 := record(t, old, "7", "dynamodb.amazonaws.com"), record(t, old, "8", "dynamodb.amazonaws.com")
	resp, err := h.Handle(context.Background(), events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{r1, r2}})
	if err != nil || len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "7" {
		t.Errorf("got %+v %v, want the first record reported as failed", resp, err)
	}
}
