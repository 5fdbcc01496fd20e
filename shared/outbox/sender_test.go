package outbox_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/invite"
	"roster/shared/mail"
	"roster/shared/outbox"
	"roster/shared/standins"
	"roster/shared/store"
	"roster/shared/testenv"
)

var ctx = context.Background()

// invite creates an invitation through the service (its mail queued) and
// returns it.
func inviteOne(t *testing.T, e *fixture.InviteEnv, a domain.Account, owner domain.User, email string) invite.View {
	t.Helper()
	m, err := e.Store.GetMembership(ctx, a.ID, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	actor := domain.Actor{UserID: owner.ID, Email: owner.Email, Name: owner.Name(), Role: m.Role, Status: m.Status, Permissions: m.Permissions}
	ps := fixture.Permissions("billing.view")
	c, err := e.Service.Create(ctx, actor, a.ID, invite.CreateInput{Email: email, Role: "member", Permissions: &ps}, "")
	if err != nil {
		t.Fatal(err)
	}
	return c.View
}

// TestHangingSESHoldsNothingUp: while SES hangs, creating an invitation
// answers at once (no request calls SES); the sender's calls end at their
// timeout, the invitation shows it is retrying and why, and after the last
// attempt it is failed with the reason and its record is handed back for
// the dead-letter queue. Nothing stays queued.
func TestHangingSESHoldsNothingUp(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	cfg := outbox.Config{SendTimeout: 200 * time.Millisecond, Tries: 2, Backoff: 10 * time.Millisecond, MaxAttempts: 2}
	hanging := e.NewOutbox(t, fixture.HangingMailer(t), cfg)
	email := testenv.UniqueEmail(t)

	start := time.Now()
	v := inviteOne(t, e, a, owner, email)
	if took := time.Since(start); took > 2*time.Second || v.Delivery != domain.DeliveryQueued {
		t.Errorf("create while SES hangs: took %v, delivery %q; want at once, queued", took, v.Delivery)
	}

	start = time.Now()
	failed := hanging.Deliver(t)
	took := time.Since(start)
	if len(failed) != 1 {
		t.Fatalf("first attempt: got %d failed records, want 1", len(failed))
	}
	// Held by its SES calls' timeouts (2 × 200 ms here), not by the
	// function's: a generous bound, as the machine may be busy.
	if took > 10*time.Second {
		t.Errorf("first attempt took %v while SES hung; its calls time out after %v", took, cfg.SendTimeout)
	}
	inv, _ := e.Store.GetInvitation(ctx, a.ID, v.ID)
	if inv.Delivery != domain.DeliveryQueued || inv.DeliveryReason != "Retrying: the mail service did not answer in time" {
		t.Errorf("between attempts: got %q %q", inv.Delivery, inv.DeliveryReason)
	}
	m, err := e.Store.GetMail(ctx, inv.MailID)
	if err != nil || m.Status != store.MailQueued || m.Attempts != 1 {
		t.Errorf("mail between attempts: got %+v, %v; want queued after 1 attempt", m, err)
	}

	if failed = hanging.Retry(t, failed); len(failed) != 1 {
		t.Fatalf("last attempt: got %d failed records, want 1", len(failed))
	}
	inv, _ = e.Store.GetInvitation(ctx, a.ID, v.ID)
	if inv.Delivery != domain.DeliveryFailed || !strings.HasPrefix(inv.DeliveryReason, "the mail service did not answer in time (gave up after 4 attempts)") {
		t.Errorf("after the last attempt: got %q %q", inv.Delivery, inv.DeliveryReason)
	}
	if m, _ := e.Store.GetMail(ctx, inv.MailID); m.Status != store.MailFailed || m.Attempts != 2 || m.DoneAt == "" {
		t.Errorf("mail after the last attempt: got %+v, want failed after 2 attempts", m)
	}
	if n := len(testenv.MailTo(t, email)); n != 0 {
		t.Errorf("mails: got %d, want 0", n)
	}
	// The Pending tab never shows it queued for ever: a mail queued past
	// the deadline shows failed even if the sender never came.
	stuck := invite.ViewOf(domain.Invitation{Delivery: domain.DeliveryQueued, LastAttemptAt: time.Now().Add(-invite.MailDeadline - time.Second)}, time.Now())
	if stuck.Delivery != domain.DeliveryFailed || stuck.DeliveryReason == "" {
		t.Errorf("queued past the deadline: got %q %q, want failed with a reason", stuck.Delivery, stuck.DeliveryReason)
	}
}

// TestNoTimeLeft: a record the invocation has no time left to try is left
// for the retry, untried (its attempts are not spent).
func TestNoTimeLeft(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	v := inviteOne(t, e, a, owner, testenv.UniqueEmail(t))
	inv, _ := e.Store.GetInvitation(ctx, a.ID, v.ID)
	s := outbox.New(e.Store, fixture.Mailer(t), outbox.Config{SiteURL: fixture.SiteURL}, domain.DefaultCatalog())
	h := outbox.NewHandler(s, discard())
	short, cancel := context.WithTimeout(ctx, s.Budget()/2)
	defer cancel()
	rec := mailRecord(inv.MailID, "1")
	resp, err := h(short, events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{rec}})
	if err != nil || len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "1" {
		t.Fatalf("got %+v, %v; want the record reported failed", resp, err)
	}
	if m, _ := e.Store.GetMail(ctx, inv.MailID); m.Attempts != 0 || m.Status != store.MailQueued {
		t.Errorf("mail: got %+v, want queued, untried", m)
	}
}

// TestSupersededAndRedelivered: a mail whose invitation was resent before
// it went is not sent (the resend's mail is, once); a record delivered
// twice sends once; a verification for a login confirmed meanwhile is
// dropped; the records of other items are ignored.
func TestSupersededAndRedelivered(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	e.Config.ResendInterval = time.Nanosecond
	e.Rebuild()
	a, owner, _ := e.Account(t)
	email := testenv.UniqueEmail(t)
	v := inviteOne(t, e, a, owner, email)
	first, _ := e.Store.GetInvitation(ctx, a.ID, v.ID)
	m, _ := e.Store.GetMembership(ctx, a.ID, owner.ID)
	actor := domain.Actor{UserID: owner.ID, Email: owner.Email, Name: owner.Name(), Role: m.Role, Status: m.Status, Permissions: m.Permissions}
	if _, err := e.Service.Resend(ctx, actor, a.ID, v.ID); err != nil {
		t.Fatal(err)
	}
	o := e.NewOutbox(t, fixture.Mailer(t), outbox.Config{})
	if failed := o.Deliver(t); len(failed) != 0 {
		t.Fatalf("got %d failed records", len(failed))
	}
	if got, _ := e.Store.GetMail(ctx, first.MailID); got.Status != store.MailSuperseded || got.Reason != "The invitation was sent again since." {
		t.Errorf("first mail: got %+v, want superseded by the resend", got)
	}
	toks := fixture.Tokens(t, email)
	if len(toks) != 1 {
		t.Fatalf("mails: got %d, want 1 (the resend's)", len(toks))
	}
	if _, err := e.Service.Preview(ctx, toks[0]); err != nil {
		t.Errorf("the mailed link: %v", err)
	}
	// Delivered again: nothing more is sent, the link still works.
	resent, _ := e.Store.GetInvitation(ctx, a.ID, v.ID)
	if failed := o.Retry(t, []events.DynamoDBEventRecord{mailRecord(resent.MailID, "9"), otherRecord()}); len(failed) != 0 {
		t.Errorf("again: got %d failed records", len(failed))
	}
	if n := len(fixture.Tokens(t, email)); n != 1 {
		t.Errorf("mails after a second delivery: got %d, want 1", n)
	}
	if _, err := e.Service.Preview(ctx, toks[0]); err != nil {
		t.Errorf("the mailed link after a second delivery: %v", err)
	}
	if n := e.Count(t, "INVTOKEN#"+auth.HashToken(toks[0])); n != 1 {
		t.Errorf("link items: got %d, want 1", n)
	}

	// A verification mail for a login that was confirmed meanwhile.
	u := e.User(t, false)
	mail := store.NewMail(store.MailVerify, u.Email, time.Now())
	mail.UserID = u.ID
	if err := e.Store.QueueMail(ctx, mail); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.UpdateUser(ctx, u.ID, func(u *domain.User) error { u.EmailVerified = true; return nil }); err != nil {
		t.Fatal(err)
	}
	o.Deliver(t)
	if got, _ := e.Store.GetMail(ctx, mail.ID); got.Status != store.MailSuperseded {
		t.Errorf("verification of a confirmed login: got %+v, want superseded", got)
	}
	if n := fixture.Mails(t, u.Email); n != 0 {
		t.Errorf("mails to the confirmed login: got %d, want 0", n)
	}
}

// TestSendingRate: the sender keeps to its sending rate: six mails at five
// a second take at least one second.
func TestSendingRate(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	for range 6 {
		inviteOne(t, e, a, owner, testenv.UniqueEmail(t))
	}
	o := e.NewOutbox(t, fixture.Mailer(t), outbox.Config{PerSecond: 5})
	start := time.Now()
	if failed := o.Deliver(t); len(failed) != 0 {
		t.Fatalf("got %d failed records", len(failed))
	}
	if took := time.Since(start); took < time.Second {
		t.Errorf("six mails at 5/s took %v, want at least 1s", took)
	}
}

func mailRecord(id, seq string) events.DynamoDBEventRecord {
	return events.DynamoDBEventRecord{EventName: "INSERT", Change: events.DynamoDBStreamRecord{SequenceNumber: seq,
		NewImage: map[string]events.DynamoDBAttributeValue{
			store.AttrType: events.NewStringAttribute(store.TypeMail), "mailId": events.NewStringAttribute(id),
		}}}
}

func otherRecord() events.DynamoDBEventRecord {
	return events.DynamoDBEventRecord{EventName: "INSERT", Change: events.DynamoDBStreamRecord{SequenceNumber: "10",
		NewImage: map[string]events.DynamoDBAttributeValue{store.AttrType: events.NewStringAttribute("user")}}}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestPausedLocalSES: the real local SES, paused (SIGSTOP) as an SES that
// hangs: the sender's call ends at its timeout and the mail stays queued
// with the reason; resumed, the retry sends it.
func TestPausedLocalSES(t *testing.T) {
	t.Parallel()
	ses, err := standins.StartSES(ctx, standins.SESOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ses.Resume(); ses.Stop() })
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	mailer := mail.NewSender(sesv2.NewFromConfig(testenv.AWSConfig(ses.Endpoint), func(o *sesv2.Options) { o.RetryMaxAttempts = 1 }), "roster@example.com")
	o := e.NewOutbox(t, mailer, outbox.Config{SendTimeout: 300 * time.Millisecond, Tries: 1, MaxAttempts: 3})
	email := testenv.UniqueEmail(t)
	v := inviteOne(t, e, a, owner, email)

	if err := ses.Pause(); err != nil {
		t.Fatal(err)
	}
	failed := o.Deliver(t)
	if len(failed) != 1 {
		t.Fatalf("while paused: got %d failed records, want 1", len(failed))
	}
	if inv, _ := e.Store.GetInvitation(ctx, a.ID, v.ID); inv.Delivery != domain.DeliveryQueued || !strings.Contains(inv.DeliveryReason, "did not answer in time") {
		t.Errorf("while paused: got %q %q, want queued, retrying after a timeout", inv.Delivery, inv.DeliveryReason)
	}
	if err := ses.Resume(); err != nil {
		t.Fatal(err)
	}
	if failed = o.Retry(t, failed); len(failed) != 0 {
		t.Fatalf("resumed: got %d failed records, want 0", len(failed))
	}
	if inv, _ := e.Store.GetInvitation(ctx, a.ID, v.ID); inv.Delivery != domain.DeliverySent || inv.DeliveryReason != "" {
		t.Errorf("resumed: got %q %q, want sent", inv.Delivery, inv.DeliveryReason)
	}
}
