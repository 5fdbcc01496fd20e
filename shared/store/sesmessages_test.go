package store_test

import (
	"errors"
	"testing"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
	"roster/shared/testenv"
)

// TestSESMessageLookup: RecordMailSent stores the message id with a lookup
// item; delivery events apply only to the current
// email, never turn a complaint back, and are idempotent; a resend forgets
// the old message.
func TestSESMessageLookup(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	now := time.Now().UTC()
	s := store.New(db, table).WithClock(func() time.Time { return now })
	acct := store.NewID()
	inv := newInvitation(acct, "bounce@example.com", now)
	m := store.NewMail(store.MailInvite, inv.Email, now)
	m.AccountID, m.InviteID, inv.MailID = acct, inv.ID, m.ID
	if err := s.CreateInvitation(ctx, store.NewInvitation{Invitation: inv, Event: invEvent(acct, now), Mail: m}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.InvitationOfMessage(ctx, "ses-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown message: got %v, want ErrNotFound", err)
	}
	if err := s.RecordMailSent(ctx, m, "ses-1", now, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetMail(ctx, m.ID); got.Status != store.MailSent || got.MessageID != "ses-1" {
		t.Errorf("mail: got %+v, want sent as ses-1", got)
	}
	// Recorded once: a second record of the same mail changes nothing.
	if err := s.RecordMailSent(ctx, m, "ses-again", now, true); !errors.Is(err, store.ErrMailDone) {
		t.Errorf("second record: got %v, want ErrMailDone", err)
	}
	a, id, err := s.InvitationOfMessage(ctx, "ses-1")
	if err != nil || a != acct || id != inv.ID {
		t.Fatalf("lookup: got %q %q %v", a, id, err)
	}
	if n := countPK(t, db, table, "SESMSG#ses-1"); n != 1 {
		t.Errorf("lookup items: got %d, want 1", n)
	}
	cur, _ := s.GetInvitation(ctx, acct, inv.ID)
	if cur.MessageID != "ses-1" || cur.Delivery != domain.DeliverySent || cur.SentAt.IsZero() || cur.Version != 1 {
		t.Fatalf("after send: got %+v", cur)
	}

	version := int64(1)
	apply := func(e store.DeliveryEvent, wantApplied bool, wantDelivery, wantReason string) {
		t.Helper()
		ok, err := s.RecordDeliveryEvent(ctx, acct, inv.ID, e)
		if err != nil || ok != wantApplied {
			t.Fatalf("%+v: got applied %v, %v; want %v", e, ok, err, wantApplied)
		}
		cur, _ := s.GetInvitation(ctx, acct, inv.ID)
		if cur.Delivery != wantDelivery || cur.DeliveryReason != wantReason || cur.Version != version {
			t.Fatalf("%+v: got %q %q v%d, want %q %q v%d", e, cur.Delivery, cur.DeliveryReason, cur.Version, wantDelivery, wantReason, version)
		}
	}
	apply(store.DeliveryEvent{MessageID: "ses-1", Delivery: domain.DeliverySent, Reason: "mailbox full"}, true, domain.DeliverySent, "mailbox full")
	apply(store.DeliveryEvent{MessageID: "ses-other", Delivery: domain.DeliveryBounced, Reason: "x"}, false, domain.DeliverySent, "mailbox full")
	apply(store.DeliveryEvent{MessageID: "ses-1", Delivery: domain.DeliveryComplained, Reason: "spam"}, true, domain.DeliveryComplained, "spam")
	apply(store.DeliveryEvent{MessageID: "ses-1", Delivery: domain.DeliveryComplained, Reason: "spam"}, true, domain.DeliveryComplained, "spam")
	apply(store.DeliveryEvent{MessageID: "ses-1", Delivery: domain.DeliveryBounced, Reason: "gone"}, false, domain.DeliveryComplained, "spam")
	apply(store.DeliveryEvent{MessageID: "ses-1", Delivery: domain.DeliverySent, Reason: ""}, false, domain.DeliveryComplained, "spam")
	if _, err := s.RecordDeliveryEvent(ctx, acct, inv.ID, store.DeliveryEvent{MessageID: "ses-1", Delivery: "weird"}); err == nil {
		t.Error("unknown delivery state: got no error")
	}

	// A resend forgets the old email: its late events change nothing.
	cur, _ = s.GetInvitation(ctx, acct, inv.ID)
	m2 := store.NewMail(store.MailInvite, inv.Email, now)
	m2.AccountID, m2.InviteID = acct, inv.ID
	resent, err := s.ResendInvitation(ctx, cur, m2, now.Add(2*time.Hour), store.Limit{}, invEvent(acct, now))
	if err != nil || resent.MessageID != "" {
		t.Fatalf("resend: got %+v, %v", resent, err)
	}
	version = 2
	apply(store.DeliveryEvent{MessageID: "ses-1", Delivery: domain.DeliveryBounced, Reason: "late"}, false, domain.DeliveryQueued, "")
	// A mail of the invitation that is not its current one records its
	// own fate only: the invitation's delivery stays the current mail's.
	stale := store.NewMail(store.MailInvite, inv.Email, now)
	stale.AccountID, stale.InviteID = acct, inv.ID
	if err := s.QueueMail(ctx, stale); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordMailFailed(ctx, stale, store.MailFailed, "refused", now); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetMail(ctx, stale.ID); got.Status != store.MailFailed || got.Reason != "refused" {
		t.Errorf("stale mail: got %+v, want failed", got)
	}
	if cur, _ := s.GetInvitation(ctx, acct, inv.ID); cur.Delivery != domain.DeliveryQueued {
		t.Errorf("after a stale mail's failure: got delivery %q, want queued", cur.Delivery)
	}
	if err := s.RecordMailSent(ctx, m2, "ses-2", now, false); err != nil {
		t.Fatal(err)
	}
	apply(store.DeliveryEvent{MessageID: "ses-2", Delivery: domain.DeliveryBounced, Reason: "gone"}, true, domain.DeliveryBounced, "gone")
	apply(store.DeliveryEvent{MessageID: "ses-2", Delivery: domain.DeliveryBounced, Reason: "gone"}, true, domain.DeliveryBounced, "gone")
}
