package store_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/domain"
	"roster/shared/store"
	"roster/shared/testenv"
)

// markerEnv is a table with one account, and the reads of its invitations'
// expiry markers (Query and GetItem, never a Scan).
type markerEnv struct {
	t     *testing.T
	db    *dynamodb.Client
	table string
	s     *store.Store
	acct  string
	now   time.Time
}

func newMarkerEnv(t *testing.T) *markerEnv {
	t.Helper()
	db, table := testenv.NewTable(t)
	now := time.Now().UTC().Truncate(time.Millisecond)
	return &markerEnv{t: t, db: db, table: table, s: store.New(db, table).WithClock(func() time.Time { return now }), acct: store.NewID(), now: now}
}

// markers counts the account's expiry markers.
func (e *markerEnv) markers() int {
	e.t.Helper()
	out, err := e.db.Query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(e.table),
		KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :sk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: "ACCOUNT#" + e.acct}, ":sk": &types.AttributeValueMemberS{Value: "INVEXPIRY#"}},
		Select:         types.SelectCount,
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return int(out.Count)
}

// marker reads an invitation's expiry marker (nil when absent).
func (e *markerEnv) marker(id string) map[string]types.AttributeValue {
	e.t.Helper()
	out, err := e.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(e.table), ConsistentRead: aws.Bool(true), Key: map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: "ACCOUNT#" + e.acct}, "SK": &types.AttributeValueMemberS{Value: "INVEXPIRY#" + id}}})
	if err != nil {
		e.t.Fatal(err)
	}
	return out.Item
}

// checkMarker checks that the invitation's marker expires (TTL) at its
// expiry, rounded up to the second, and carries its names.
func (e *markerEnv) checkMarker(inv domain.Invitation) {
	e.t.Helper()
	m := e.marker(inv.ID)
	if m == nil {
		e.t.Fatalf("invitation %s: no expiry marker", inv.ID)
	}
	ttl := inv.ExpiresAt.Unix()
	if inv.ExpiresAt.Nanosecond() != 0 {
		ttl++
	}
	s := func(k string) string {
		v, _ := m[k].(*types.AttributeValueMemberS)
		if v == nil {
			return ""
		}
		return v.Value
	}
	n, _ := m["expiresAt"].(*types.AttributeValueMemberN)
	if n == nil || n.Value != strconv.FormatInt(ttl, 10) || s("type") != "invitationExpiry" || s("inviteId") != inv.ID ||
		s("accountId") != inv.AccountID || s("email") != inv.Email || s("firstName") != inv.FirstName || s("lastName") != inv.LastName {
		e.t.Errorf("marker of %s: got %v, want TTL %d and the invitation's fields", inv.ID, m, ttl)
	}
}

// create creates a pending invitation expiring at expires.
func (e *markerEnv) create(email string, expires time.Time, replace string) domain.Invitation {
	e.t.Helper()
	inv := newInvitation(e.acct, email, e.now)
	inv.FirstName, inv.LastName, inv.ExpiresAt = "Grace", "Hopper", expires
	inv.CreatedAt = expires.Add(-7 * 24 * time.Hour)
	if err := e.s.CreateInvitation(ctx, store.NewInvitation{Invitation: inv, ReplaceID: replace, Event: invEvent(e.acct, e.now)}); err != nil {
		e.t.Fatalf("create: %v", err)
	}
	got, err := e.s.GetInvitation(ctx, e.acct, inv.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return got
}

// expired returns the invitation.expired events of an invitation.
func (e *markerEnv) expired(id string) []domain.AuditEvent {
	e.t.Helper()
	page, err := e.s.History(ctx, store.HistoryQuery{AccountID: e.acct, To: e.now.Add(24 * time.Hour), Actions: []string{domain.ActionInvitationExpired}, Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []domain.AuditEvent
	for _, ev := range page.Events {
		if ev.Target.ID == id {
			out = append(out, ev)
		}
	}
	return out
}

// TestExpiryMarkerLifecycle: every pending invitation has one expiry marker
// with its expiry as TTL; create, resend and edit write it, accept and
// revoke delete it, and no invitation read returns it.
func TestExpiryMarkerLifecycle(t *testing.T) {
	t.Parallel()
	e := newMarkerEnv(t)
	a := e.create("a@example.com", e.now.Add(time.Hour+123*time.Millisecond), "")
	e.checkMarker(a)
	b := e.create("b@example.com", e.now.Add(2*time.Hour), "")
	if n := e.markers(); n != 2 {
		t.Fatalf("markers after two creates: got %d, want 2", n)
	}
	// The Pending list holds the invitations only.
	page, _, err := e.s.ListPendingInvitations(ctx, e.acct, "", 50)
	if err != nil || len(page) != 2 {
		t.Fatalf("pending list: got %d, %v, want the 2 invitations", len(page), err)
	}
	for _, inv := range page {
		if inv.ID != a.ID && inv.ID != b.ID {
			t.Errorf("pending list: got %+v, not an invitation", inv)
		}
	}

	// Resend moves the marker to the new expiry.
	resent, err := e.s.ResendInvitation(ctx, a, store.NewMail(store.MailInvite, a.Email, e.now), e.now.Add(3*time.Hour), store.Limit{}, invEvent(e.acct, e.now))
	if err != nil {
		t.Fatalf("resend: %v", err)
	}
	e.checkMarker(resent)
	// Edit rewrites its names.
	resent.FirstName, resent.LastName = "Ada", "Byron"
	edited, err := e.s.EditInvitation(ctx, resent, invEvent(e.acct, e.now))
	if err != nil {
		t.Fatalf("edit: %v", err)
	}
	e.checkMarker(edited)
	if n := e.markers(); n != 2 {
		t.Errorf("markers after resend and edit: got %d, want 2", n)
	}
	if len(e.expired(a.ID)) != 0 {
		t.Error("a resend before the expiry wrote an expired event")
	}

	// Revoke deletes it.
	if err := e.s.RevokeInvitation(ctx, edited, invEvent(e.acct, e.now)); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if e.marker(a.ID) != nil || e.markers() != 1 {
		t.Errorf("after revoke: got %d markers, want only b's", e.markers())
	}
	// Accept deletes it.
	m := domain.Membership{AccountID: e.acct, UserID: store.NewID(), Email: b.Email, Role: b.Role, Status: domain.StatusActive}
	if err := e.s.AcceptInvitation(ctx, b, m, invEvent(e.acct, e.now)); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if n := e.markers(); n != 0 {
		t.Errorf("after accept: got %d markers, want 0", n)
	}
}

// TestExpiredEventOnce: the invitation.expired event is written once
// whichever comes first of the stream function (the marker's TTL removal)
// and the replacement or resend of the expired invitation.
func TestExpiredEventOnce(t *testing.T) {
	t.Parallel()
	e := newMarkerEnv(t)
	past := e.now.Add(-time.Hour).Add(456 * time.Millisecond)

	// Replacement first, then the stream record of the marker.
	c := e.create("c@example.com", past, "")
	img := e.marker(c.ID)
	d := e.create("c@example.com", e.now.Add(time.Hour), c.ID)
	if e.marker(c.ID) != nil || e.marker(d.ID) == nil {
		t.Errorf("after replacement: the old marker should be gone and the new one there")
	}
	if wrote, err := e.s.RecordInvitationExpired(ctx, img); err != nil || wrote {
		t.Errorf("stream after replacement: got %v %v, want nothing written", wrote, err)
	}
	if evs := e.expired(c.ID); len(evs) != 1 || !evs[0].At.Equal(past) || !evs[0].Actor.System || evs[0].ID != store.ExpiredEventID(c.ID, past) ||
		evs[0].Target.Name != "Grace Hopper" || evs[0].Target.Email != c.Email {
		t.Errorf("expired events of the replaced invitation: got %+v, want one at %v", evs, past)
	}

	// The stream first (TTL deleted the marker), then the replacement.
	f := e.create("f@example.com", past, "")
	img = e.marker(f.ID)
	if wrote, err := e.s.RecordInvitationExpired(ctx, img); err != nil || !wrote {
		t.Fatalf("stream: got %v %v, want the event written", wrote, err)
	}
	if wrote, err := e.s.RecordInvitationExpired(ctx, img); err != nil || wrote {
		t.Errorf("stream again: got %v %v, want nothing written", wrote, err)
	}
	ttlDelete(t, e, f.ID)
	e.create("f@example.com", e.now.Add(time.Hour), f.ID)
	if n := len(e.expired(f.ID)); n != 1 {
		t.Errorf("expired events after stream then replacement: got %d, want 1", n)
	}
	if got, _ := e.s.GetInvitation(ctx, e.acct, f.ID); got.State != domain.InviteExpired {
		t.Errorf("replaced invitation: got state %q, want expired", got.State)
	}

	// A resend of an expired invitation writes its expired event (the
	// stream has not yet), and moves the marker: the old record is then one
	// event, and a second expiry is a second event.
	g := e.create("g@example.com", past, "")
	img = e.marker(g.ID)
	resent, err := e.s.ResendInvitation(ctx, g, store.NewMail(store.MailInvite, g.Email, e.now), e.now.Add(time.Hour), store.Limit{}, invEvent(e.acct, e.now))
	if err != nil {
		t.Fatalf("resend of an expired invitation: %v", err)
	}
	e.checkMarker(resent)
	if wrote, err := e.s.RecordInvitationExpired(ctx, img); err != nil || wrote {
		t.Errorf("stream after resend: got %v %v, want nothing written", wrote, err)
	}
	if wrote, err := e.s.RecordInvitationExpired(ctx, e.marker(g.ID)); err != nil || !wrote {
		t.Errorf("second expiry: got %v %v, want a second event", wrote, err)
	}
	if n := len(e.expired(g.ID)); n != 2 {
		t.Errorf("expired events of the invitation resent once: got %d, want 2", n)
	}

	// The TTL removal of an invitation item itself writes nothing.
	inv := e.create("h@example.com", past, "")
	it, err := e.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(e.table), ConsistentRead: aws.Bool(true), Key: map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: "ACCOUNT#" + e.acct}, "SK": &types.AttributeValueMemberS{Value: "INVITE#" + inv.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if wrote, err := e.s.RecordInvitationExpired(ctx, it.Item); err != nil || wrote {
		t.Errorf("invitation item: got %v %v, want nothing written", wrote, err)
	}
}

// ttlDelete deletes an invitation's marker as TTL would.
func ttlDelete(t *testing.T, e *markerEnv, id string) {
	t.Helper()
	_, err := e.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(e.table), Key: map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: "ACCOUNT#" + e.acct}, "SK": &types.AttributeValueMemberS{Value: "INVEXPIRY#" + id}}})
	if err != nil {
		t.Fatal(err)
	}
}
