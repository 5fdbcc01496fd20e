package invitehttp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/invite"
	"roster/shared/store"
	"roster/shared/testenv"
)

// sample reads events/ses-events-<name>.json and returns it with the SES
// event's mail.messageId set to messageID and edit applied to the SES event.
func mailEventsSample(t *testing.T, name, messageID string, edit func(m map[string]any)) events.SNSEvent {
	t.Helper()
	b, err := os.ReadFile("../../events/ses-events-" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.SNSEvent
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(ev.Records[0].SNS.Message), &m); err != nil {
		t.Fatal(err)
	}
	m["mail"].(map[string]any)["messageId"] = messageID
	if edit != nil {
		edit(m)
	}
	msg, _ := json.Marshal(m)
	ev.Records[0].SNS.Message = string(msg)
	return ev
}

// sent invites a new email through the real create path (the local SES)
// and returns the env, the owner as actor, and the stored invitation with
// its SES message id.
func sent(t *testing.T) (*fixture.InviteEnv, domain.Actor, domain.Invitation) {
	t.Helper()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	v, _ := e.Invite(t, a, owner, testenv.UniqueEmail(t), "member", "users.view")
	inv, err := e.Store.GetInvitation(context.Background(), a.ID, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Delivery != domain.DeliverySent || inv.MessageID == "" {
		t.Fatalf("sent invitation: got delivery %q message id %q", inv.Delivery, inv.MessageID)
	}
	actor := domain.Actor{UserID: owner.ID, Email: owner.Email, Name: owner.Name(), Role: domain.RoleOwner, Status: domain.StatusActive,
		Permissions: domain.PermissionSet{All: true}}
	return e, actor, inv
}

// listed returns the invitation as the Pending list's response shows it.
func listed(t *testing.T, e *fixture.InviteEnv, actor domain.Actor, inv domain.Invitation) invite.View {
	t.Helper()
	p, err := e.Service.List(context.Background(), actor, inv.AccountID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range p.Items {
		if v.ID == inv.ID {
			return v
		}
	}
	t.Fatalf("invitation %s not listed", inv.ID)
	return invite.View{}
}

func mailEventsQuiet() *slog.Logger { return slog.New(slog.NewJSONHandler(io.Discard, nil)) }

// TestBounce: a permanent bounce of the real invitation email marks it
// bounced with a short reason, shown in the list response; the same event
// again changes nothing and is no error.
func TestBounce(t *testing.T) {
	t.Parallel()
	e, actor, inv := sent(t)
	h := newMailEventsHandler(e.Store, mailEventsQuiet())
	ev := mailEventsSample(t, "bounce", inv.MessageID, nil)
	for i := 0; i < 2; i++ {
		if err := h.Handle(context.Background(), ev); err != nil {
			t.Fatalf("delivery %d: %v", i+1, err)
		}
		v := listed(t, e, actor, inv)
		if v.Delivery != domain.DeliveryBounced || !strings.Contains(v.DeliveryReason, "Bounced") ||
			!strings.Contains(v.DeliveryReason, "550 5.1.1 user unknown") || v.Version != inv.Version {
			t.Fatalf("delivery %d: got %q %q v%d", i+1, v.Delivery, v.DeliveryReason, v.Version)
		}
	}
	b, _ := json.Marshal(listed(t, e, actor, inv))
	if !bytes.Contains(b, []byte(`"delivery":"bounced"`)) || !bytes.Contains(b, []byte(`"deliveryReason":"Bounced`)) {
		t.Errorf("list response: %s", b)
	}
}

// TestComplaint: a complaint marks the invitation complained; a later
// bounce does not turn it back.
func TestComplaint(t *testing.T) {
	t.Parallel()
	e, actor, inv := sent(t)
	h := newMailEventsHandler(e.Store, mailEventsQuiet())
	if err := h.Handle(context.Background(), mailEventsSample(t, "complaint", inv.MessageID, nil)); err != nil {
		t.Fatal(err)
	}
	v := listed(t, e, actor, inv)
	if v.Delivery != domain.DeliveryComplained || v.DeliveryReason != "The recipient reported the invitation email as spam (abuse)" {
		t.Fatalf("got %q %q", v.Delivery, v.DeliveryReason)
	}
	if err := h.Handle(context.Background(), mailEventsSample(t, "bounce", inv.MessageID, nil)); err != nil {
		t.Fatal(err)
	}
	if v := listed(t, e, actor, inv); v.Delivery != domain.DeliveryComplained {
		t.Errorf("after a bounce: got %q, want complained", v.Delivery)
	}
}

// TestTransientBounce: a transient bounce records its (bounded) reason and
// keeps delivery sent; a later Delivery clears it.
func TestTransientBounce(t *testing.T) {
	t.Parallel()
	e, actor, inv := sent(t)
	h := newMailEventsHandler(e.Store, mailEventsQuiet())
	long := "smtp; 452 4.2.2 mailbox full\x00\x1b[31m " + strings.Repeat("x", 1000)
	ev := mailEventsSample(t, "bounce", inv.MessageID, func(m map[string]any) {
		b := m["bounce"].(map[string]any)
		b["bounceType"], b["bounceSubType"] = "Transient", "MailboxFull"
		b["bouncedRecipients"].([]any)[0].(map[string]any)["diagnosticCode"] = long
	})
	if err := h.Handle(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	v := listed(t, e, actor, inv)
	if v.Delivery != domain.DeliverySent || !strings.Contains(v.DeliveryReason, "Transient/MailboxFull: smtp; 452 4.2.2 mailbox full") {
		t.Fatalf("got %q %q", v.Delivery, v.DeliveryReason)
	}
	if n := len([]rune(v.DeliveryReason)); n > maxReason || strings.ContainsAny(v.DeliveryReason, "\x00\x1b") {
		t.Errorf("reason not bounded or not clean (%d runes): %q", n, v.DeliveryReason)
	}
	delivered := mailEventsSample(t, "bounce", inv.MessageID, func(m map[string]any) {
		delete(m, "bounce")
		m["eventType"] = "Delivery"
		m["delivery"] = map[string]any{"timestamp": "2017-08-05T00:41:02.669Z", "recipients": []any{"recipient@example.com"}}
	})
	if err := h.Handle(context.Background(), delivered); err != nil {
		t.Fatal(err)
	}
	if v := listed(t, e, actor, inv); v.Delivery != domain.DeliverySent || v.DeliveryReason != "" {
		t.Errorf("after delivery: got %q %q", v.Delivery, v.DeliveryReason)
	}
}

// TestSkipped: unknown message ids, malformed messages and event types the
// function does not act on are skipped without an error (no endless
// retries) and change nothing.
func TestSkipped(t *testing.T) {
	t.Parallel()
	e, actor, inv := sent(t)
	var logs bytes.Buffer
	h := newMailEventsHandler(e.Store, slog.New(slog.NewJSONHandler(&logs, nil)))
	malformed := mailEventsSample(t, "bounce", inv.MessageID, nil)
	malformed.Records[0].SNS.Message = `{"eventType":"Bounce","mail":` // cut off
	mailEventsSetup := mailEventsSample(t, "bounce", inv.MessageID, nil)
	mailEventsSetup.Records[0].SNS.Message = "Successfully validated SNS topic for Amazon SES event publishing."
	tests := []struct {
		name string
		ev   events.SNSEvent
		log  string
	}{
		{"unknown message id", mailEventsSample(t, "bounce", "ses-unknown-"+store.NewID(), nil), "unknown message id"},
		{"malformed", malformed, "not an SES event"},
		{"setup notification", mailEventsSetup, "not an SES event"},
		{"no message id", mailEventsSample(t, "bounce", "", nil), "not an SES event"},
		{"bounce without details", mailEventsSample(t, "bounce", inv.MessageID, func(m map[string]any) { delete(m, "bounce") }), "not acted on"},
		{"open", mailEventsSample(t, "bounce", inv.MessageID, func(m map[string]any) { m["eventType"] = "Open" }), "not acted on"},
	}
	for _, tt := range tests {
		logs.Reset()
		if err := h.Handle(context.Background(), tt.ev); err != nil {
			t.Errorf("%s: got %v, want nil", tt.name, err)
		}
		if !strings.Contains(logs.String(), tt.log) {
			t.Errorf("%s: log %q lacks %q", tt.name, logs.String(), tt.log)
		}
		if v := listed(t, e, actor, inv); v.Delivery != domain.DeliverySent || v.DeliveryReason != "" {
			t.Errorf("%s: got %q %q, want sent", tt.name, v.Delivery, v.DeliveryReason)
		}
	}
}

// TestResentInvitation: a bounce of the email of an older link (before a
// resend) does not mark the new one; the resent email's own bounce does.
func TestResentInvitation(t *testing.T) {
	t.Parallel()
	e, actor, inv := sent(t)
	e.Config.ResendInterval = time.Nanosecond
	e.Rebuild()
	if _, err := e.Service.Resend(context.Background(), actor, inv.AccountID, inv.ID); err != nil {
		t.Fatal(err)
	}
	e.SendMail(t)
	cur, err := e.Store.GetInvitation(context.Background(), inv.AccountID, inv.ID)
	if err != nil || cur.MessageID == "" || cur.MessageID == inv.MessageID {
		t.Fatalf("resent: got message id %q (was %q), %v", cur.MessageID, inv.MessageID, err)
	}
	h := newMailEventsHandler(e.Store, mailEventsQuiet())
	if err := h.Handle(context.Background(), mailEventsSample(t, "bounce", inv.MessageID, nil)); err != nil {
		t.Fatal(err)
	}
	if v := listed(t, e, actor, inv); v.Delivery != domain.DeliverySent {
		t.Fatalf("old email's bounce: got %q, want sent", v.Delivery)
	}
	if err := h.Handle(context.Background(), mailEventsSample(t, "bounce", cur.MessageID, nil)); err != nil {
		t.Fatal(err)
	}
	if v := listed(t, e, actor, inv); v.Delivery != domain.DeliveryBounced {
		t.Errorf("new email's bounce: got %q, want bounced", v.Delivery)
	}
}
