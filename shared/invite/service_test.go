package invite_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/invite"
	"roster/shared/outbox"
	"roster/shared/store"
	"roster/shared/testenv"
)

var ctx = context.Background()

func actorOf(t *testing.T, e *fixture.InviteEnv, a domain.Account, u domain.User) domain.Actor {
	t.Helper()
	m, err := e.Store.GetMembership(ctx, a.ID, u.ID)
	if err != nil {
		t.Fatalf("membership: %v", err)
	}
	return domain.Actor{UserID: u.ID, Email: u.Email, Name: u.Name(), Role: m.Role, Status: m.Status, Permissions: m.Permissions}
}

func code(err error) string {
	if e := domain.AsError(err); e != nil {
		return e.Code
	}
	if err != nil {
		return "internal: " + err.Error()
	}
	return ""
}

func perms(names ...string) *domain.PermissionSet {
	if len(names) == 1 && names[0] == "all" {
		return &domain.PermissionSet{All: true}
	}
	return &domain.PermissionSet{Granted: names}
}

// TestCreateRefusals: every refused create answers a clear error, writes
// nothing in the account's partitions and sends no email.
func TestCreateRefusals(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	viewer, _ := e.Member(t, a, domain.RoleMember, domain.StatusActive, "users.view")
	admin, _ := e.Member(t, a, domain.RoleAdmin, domain.StatusActive, "users.manage", "users.view", "billing.view")
	existing, _ := e.Member(t, a, domain.RoleMember, domain.StatusActive, "billing.view")
	pendingEmail := testenv.UniqueEmail(t)
	e.Invite(t, a, owner, pendingEmail, "member", "billing.view")
	baseAccount, baseHistory := e.Items(t, a.ID)
	baseMail := len(testenv.MailTo(t, pendingEmail))

	long := strings.Repeat("a", 250) + "@example.com"
	tests := []struct {
		name  string
		actor domain.User
		in    invite.CreateInput
		want  string
	}{
		{"invalid email", owner, invite.CreateInput{Email: "not-an-email", Role: "member", Permissions: perms()}, "invalid_email"},
		{"overlong email", owner, invite.CreateInput{Email: long, Role: "member", Permissions: perms()}, "invalid_email"},
		{"unknown permission", owner, invite.CreateInput{Email: "x@example.com", Role: "member", Permissions: perms("rockets.launch")}, "unknown_permission"},
		{"all and a list", owner, invite.CreateInput{Email: "x@example.com", Role: "member", Permissions: &domain.PermissionSet{All: true, Granted: []string{"billing.view"}}}, "invalid_permissions"},
		{"no permissions", owner, invite.CreateInput{Email: "x@example.com", Role: "member"}, "missing_permissions"},
		{"role owner", owner, invite.CreateInput{Email: "x@example.com", Role: "owner", Permissions: perms("all")}, "invalid_role"},
		{"unknown role", owner, invite.CreateInput{Email: "x@example.com", Role: "king", Permissions: perms()}, "invalid_role"},
		{"overlong name", owner, invite.CreateInput{Email: "x@example.com", FirstName: strings.Repeat("n", 101), Role: "member", Permissions: perms()}, "invalid_name"},
		{"actor without users.manage", viewer, invite.CreateInput{Email: "x@example.com", Role: "member", Permissions: perms("users.view")}, "missing_permission"},
		{"grant beyond the actor", admin, invite.CreateInput{Email: "x@example.com", Role: "member", Permissions: perms("projects.manage")}, "grant_exceeds_actor"},
		{"grant all without all", admin, invite.CreateInput{Email: "x@example.com", Role: "admin", Permissions: perms("all")}, "grant_all"},
		{"pending email", owner, invite.CreateInput{Email: pendingEmail, Role: "member", Permissions: perms()}, "invitation_pending"},
		{"pending email in other case", owner, invite.CreateInput{Email: "  " + strings.ToUpper(pendingEmail), Role: "member", Permissions: perms()}, "invitation_pending"},
		{"current member", owner, invite.CreateInput{Email: strings.ToUpper(existing.Email), Role: "member", Permissions: perms()}, "already_member"},
		{"the owner", admin, invite.CreateInput{Email: owner.Email, Role: "member", Permissions: perms()}, "already_member"},
		{"idempotency key too long", owner, invite.CreateInput{Email: "x@example.com", Role: "member", Permissions: perms()}, "invalid_idempotency_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := ""
			if tt.want == "invalid_idempotency_key" {
				key = strings.Repeat("k", 101)
			}
			_, err := e.Service.Create(ctx, actorOf(t, e, a, tt.actor), a.ID, tt.in, key)
			if got := code(err); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if acc, hist := e.Items(t, a.ID); acc != baseAccount || hist != baseHistory {
		t.Errorf("items after refusals: got %d account, %d history; want %d, %d", acc, hist, baseAccount, baseHistory)
	}
	if n := len(testenv.MailTo(t, pendingEmail)); n != baseMail {
		t.Errorf("mails to the pending email: got %d, want %d", n, baseMail)
	}
	if n := len(testenv.MailTo(t, "x@example.com")); n != 0 {
		t.Errorf("mails to refused address: got %d, want 0", n)
	}
}

// TestCreateSendsAndWritesOnce: a create writes the invitation, its email
// slot, its link and its event in one go, then mails a link that previews.
func TestCreateSendsAndWritesOnce(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	email := testenv.UniqueEmail(t)
	accBefore, histBefore := e.Items(t, a.ID)
	c, err := e.Service.Create(ctx, actorOf(t, e, a, owner), a.ID, invite.CreateInput{
		Email: strings.ToUpper(email), FirstName: " Grace ", LastName: "Hopper", Role: "admin", Permissions: perms("billing.manage"),
	}, "")
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	v := c.View
	if v.Email != email || v.FirstName != "Grace" || v.State != "pending" || v.Delivery != "queued" || v.Role != domain.RoleAdmin {
		t.Errorf("view: got %+v", v)
	}
	// Queued with the invitation, sent by the mail sender.
	if n := len(testenv.MailTo(t, email)); n != 0 {
		t.Errorf("mails before the sender ran: got %d, want 0", n)
	}
	e.SendMail(t)
	if stored, _ := e.Store.GetInvitation(ctx, a.ID, v.ID); stored.Delivery != "sent" || stored.MessageID == "" || stored.SentAt.IsZero() {
		t.Errorf("after sending: got delivery %q message %q sent %v", stored.Delivery, stored.MessageID, stored.SentAt)
	}
	if got, want := v.Permissions.Granted, []string{"billing.manage", "billing.view"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("permissions: got %v, want %v", got, want)
	}
	if d := v.ExpiresAt.Sub(v.CreatedAt); d != 168*time.Hour {
		t.Errorf("validity: got %v, want %v", d, 168*time.Hour)
	}
	acc, hist := e.Items(t, a.ID)
	if acc-accBefore != 3 || hist-histBefore != 1 {
		t.Errorf("new items: got %d account (invitation+slot+expiry marker), %d history; want 3, 1", acc-accBefore, hist-histBefore)
	}
	mails := testenv.MailTo(t, email)
	if len(mails) != 1 {
		t.Fatalf("mails: got %d, want 1", len(mails))
	}
	m := mails[0]
	// The role and the permissions by area with their labels, beside the
	// inviter, the account and the exact expiry.
	expiry := v.ExpiresAt.UTC().Format("Monday 2 January 2006, 15:04 MST")
	for _, want := range []string{a.Name, owner.Email, "Admin", "Billing", "View invoices and payment methods; Pay invoices and change payment methods", expiry, "/accept#token=", "did not expect"} {
		if !strings.Contains(m.Body.Text, want) || !strings.Contains(m.Body.HTML, want) {
			t.Errorf("mail lacks %q in both parts:\n%s", want, m.Body.Text)
		}
	}
	if strings.Contains(m.Body.Text, "All permissions") || strings.Contains(m.Body.Text, "Services") {
		t.Errorf("mail names permissions the invitation lacks:\n%s", m.Body.Text)
	}
	if !strings.Contains(m.Body.HTML, `target="_blank"`) {
		t.Errorf("the mail's link does not open a new tab:\n%s", m.Body.HTML)
	}
	// An invitation with All says so.
	allEmail := testenv.UniqueEmail(t)
	if _, err := e.Service.Create(ctx, actorOf(t, e, a, owner), a.ID, invite.CreateInput{Email: allEmail, Role: "admin", Permissions: &domain.PermissionSet{All: true}}, ""); err != nil {
		t.Fatal(err)
	}
	e.SendMail(t)
	if all := testenv.MailTo(t, allEmail); len(all) != 1 || !strings.Contains(all[0].Body.Text, "All permissions") || !strings.Contains(all[0].Body.HTML, "All permissions") {
		t.Errorf("mail of an invitation with All: got %+v, want it to say All permissions", all)
	}
	toks := fixture.Tokens(t, email)
	p, err := e.Service.Preview(ctx, toks[0])
	if err != nil {
		t.Fatalf("Preview: %v", err)
	}
	if p.AccountName != a.Name || p.InviterEmail != owner.Email || p.Email != email || p.Role != domain.RoleAdmin {
		t.Errorf("preview: got %+v", p)
	}
	// Previewing again still works: it uses nothing up.
	if _, err := e.Service.Preview(ctx, toks[0]); err != nil {
		t.Errorf("second preview: got %v, want none", err)
	}
	// The token is stored only as its hash.
	if n := e.Count(t, "INVTOKEN#"+toks[0]); n != 0 {
		t.Errorf("raw token stored as a key")
	}
}

// TestIdempotentRetry: a retried create with the same key makes one
// invitation and one email; the same key with another request is refused.
func TestIdempotentRetry(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	email := testenv.UniqueEmail(t)
	in := invite.CreateInput{Email: email, Role: "member", Permissions: perms("billing.view")}
	first, err := e.Service.Create(ctx, actorOf(t, e, a, owner), a.ID, in, "key-1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.Service.Create(ctx, actorOf(t, e, a, owner), a.ID, in, "key-1")
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if again.View.ID != first.View.ID || !again.Replayed {
		t.Errorf("retry: got id %s replayed %v, want %s replayed", again.View.ID, again.Replayed, first.View.ID)
	}
	e.SendMail(t)
	if n := len(testenv.MailTo(t, email)); n != 1 {
		t.Errorf("mails: got %d, want 1", n)
	}
	other := in
	other.Role = "admin"
	if _, err := e.Service.Create(ctx, actorOf(t, e, a, owner), a.ID, other, "key-1"); code(err) != "idempotency_mismatch" {
		t.Errorf("reused key: got %v, want idempotency_mismatch", code(err))
	}
}

// TestMailFailureLeavesResendable: when SES cannot be reached the
// request still succeeds at once (the mail is queued); once the sender has
// given up the invitation shows delivery failed with its reason, and a
// resend sends a new link.
func TestMailFailureLeavesResendable(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	broken := e.NewOutbox(t, fixture.BrokenMailer(t), outbox.Config{Tries: 1, Backoff: time.Millisecond, MaxAttempts: 2})
	email := testenv.UniqueEmail(t)
	c, err := e.Service.Create(ctx, actorOf(t, e, a, owner), a.ID, invite.CreateInput{Email: email, Role: "member", Permissions: perms()}, "")
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if c.View.Delivery != "queued" {
		t.Errorf("delivery: got %q, want queued", c.View.Delivery)
	}
	failed := broken.Deliver(t)
	if len(failed) != 1 {
		t.Fatalf("first attempt: got %d failed records, want 1", len(failed))
	}
	if stored, _ := e.Store.GetInvitation(ctx, a.ID, c.View.ID); stored.Delivery != "queued" || !strings.HasPrefix(stored.DeliveryReason, "Retrying: ") {
		t.Errorf("between attempts: got %q (%q), want queued, retrying with the reason", stored.Delivery, stored.DeliveryReason)
	}
	if failed = broken.Retry(t, failed); len(failed) != 1 {
		t.Fatalf("last attempt: got %d failed records, want 1 (for the dead-letter queue)", len(failed))
	}
	stored, _ := e.Store.GetInvitation(ctx, a.ID, c.View.ID)
	if stored.Delivery != "failed" || !strings.Contains(stored.DeliveryReason, "could not be reached") {
		t.Errorf("after the last attempt: got %q (%q), want failed with SES's reason", stored.Delivery, stored.DeliveryReason)
	}
	// The record delivered again changes nothing.
	if failed = broken.Retry(t, failed); len(failed) != 0 {
		t.Errorf("delivered again: got %d failed records, want 0", len(failed))
	}
	e.Config.ResendInterval = time.Nanosecond
	e.Rebuild()
	v, err := e.Service.Resend(ctx, actorOf(t, e, a, owner), a.ID, c.View.ID)
	if err != nil {
		t.Fatalf("Resend: %v", err)
	}
	if v.Delivery != "queued" || v.ResendCount != 1 {
		t.Errorf("after resend: got delivery %q count %d, want queued 1", v.Delivery, v.ResendCount)
	}
	e.SendMail(t)
	if stored, _ := e.Store.GetInvitation(ctx, a.ID, c.View.ID); stored.Delivery != "sent" {
		t.Errorf("after the resend was sent: got %q", stored.Delivery)
	}
	if n := len(testenv.MailTo(t, email)); n != 1 {
		t.Errorf("mails: got %d, want 1", n)
	}
}

// TestResend: a new link replaces the old one; interval and cap hold.
func TestResend(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	now := time.Now().UTC()
	clock := func() time.Time { return now }
	e.Store = e.Store.WithClock(func() time.Time { return clock() })
	e.Config.MaxResends = 2
	e.Rebuild()
	a, owner, _ := e.Account(t)
	email := testenv.UniqueEmail(t)
	v, oldToken := e.Invite(t, a, owner, email, "member", "billing.view")
	actor := actorOf(t, e, a, owner)

	if _, err := e.Service.Resend(ctx, actor, a.ID, v.ID); code(err) != "resend_too_soon" {
		t.Fatalf("resend at once: got %v, want resend_too_soon", code(err))
	}
	now = now.Add(61 * time.Second)
	r, err := e.Service.Resend(ctx, actor, a.ID, v.ID)
	if err != nil {
		t.Fatalf("Resend: %v", err)
	}
	// The old link stops working at once, before the new one is mailed.
	if _, err := e.Service.Preview(ctx, oldToken); code(err) != "invalid_token" {
		t.Errorf("old link before the new mail: got %v, want invalid_token", code(err))
	}
	e.SendMail(t)
	toks := fixture.Tokens(t, email)
	if len(toks) != 2 || toks[1] == oldToken {
		t.Fatalf("tokens mailed: got %d, want 2 different", len(toks))
	}
	if !r.ExpiresAt.Equal(now.Add(168 * time.Hour)) {
		t.Errorf("new expiry: got %v, want %v", r.ExpiresAt, now.Add(168*time.Hour))
	}
	if _, err := e.Service.Preview(ctx, oldToken); code(err) != "invalid_token" {
		t.Errorf("old link: got %v, want invalid_token", code(err))
	}
	if _, err := e.Service.Preview(ctx, toks[1]); err != nil {
		t.Errorf("new link: got %v, want it to work", err)
	}
	now = now.Add(61 * time.Second)
	if _, err := e.Service.Resend(ctx, actor, a.ID, v.ID); err != nil {
		t.Fatalf("second resend: %v", err)
	}
	now = now.Add(61 * time.Second)
	if _, err := e.Service.Resend(ctx, actor, a.ID, v.ID); code(err) != "resend_limit" {
		t.Errorf("third resend: got %v, want resend_limit", code(err))
	}
}

// TestExpiry: an invitation past its expiry is expired on every read
// before TTL deletes it; resend revives it; a new invite may take its slot.
func TestExpiry(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	now := time.Now().UTC()
	e.Store = e.Store.WithClock(func() time.Time { return now })
	e.Rebuild()
	a, owner, _ := e.Account(t)
	invitee, cookie := e.SignedUser(t, true)
	_ = cookie
	v, token := e.Invite(t, a, owner, invitee.Email, "member", "billing.view")
	now = now.Add(168*time.Hour + time.Second)

	_, err := e.Service.Preview(ctx, token)
	if code(err) != "invitation_expired" || !strings.Contains(err.Error(), owner.Email) {
		t.Errorf("preview expired: got %v, want invitation_expired naming %s", err, owner.Email)
	}
	sess := domain.Session{UserID: invitee.ID, Email: invitee.Email, Verified: true}
	if _, err := e.Service.Accept(ctx, domain.Actor{UserID: sess.UserID}, token); code(err) != "invitation_expired" {
		t.Errorf("accept expired: got %v, want invitation_expired", code(err))
	}
	page, err := e.Service.List(ctx, actorOf(t, e, a, owner), a.ID, "")
	if err != nil || len(page.Items) != 1 || page.Items[0].State != "expired" {
		t.Fatalf("list: got %+v, %v; want one expired", page, err)
	}
	// expired counts the invitation.expired events of an invitation.
	expired := func(id string) int {
		t.Helper()
		p, err := e.Store.History(ctx, store.HistoryQuery{AccountID: a.ID, Actions: []string{domain.ActionInvitationExpired}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ev := range p.Events {
			if ev.Target.ID == id && ev.Actor.System {
				n++
			}
		}
		return n
	}
	// Resend works for expired ones: new window, new link; the expiry is
	// recorded first (the stream function had not: no TTL runs here).
	if _, err := e.Service.Resend(ctx, actorOf(t, e, a, owner), a.ID, v.ID); err != nil {
		t.Fatalf("resend expired: %v", err)
	}
	if n := expired(v.ID); n != 1 {
		t.Errorf("expired events after resending an expired invitation: got %d, want 1", n)
	}
	e.SendMail(t)
	toks := fixture.Tokens(t, invitee.Email)
	if _, err := e.Service.Accept(ctx, domain.Actor{UserID: sess.UserID}, toks[len(toks)-1]); err != nil {
		t.Errorf("accept after resend: %v", err)
	}

	// An expired pending invitation's slot may be taken by a new one, which
	// marks the old one expired.
	other := testenv.UniqueEmail(t)
	old, _ := e.Invite(t, a, owner, other, "member")
	now = now.Add(169 * time.Hour)
	fresh, _ := e.Invite(t, a, owner, other, "member")
	page, _ = e.Service.List(ctx, actorOf(t, e, a, owner), a.ID, "")
	if len(page.Items) != 1 || page.Items[0].ID != fresh.ID {
		t.Errorf("pending after replace: got %+v, want only %s", page.Items, fresh.ID)
	}
	if got, _ := e.Store.GetInvitation(ctx, a.ID, old.ID); got.State != "expired" {
		t.Errorf("replaced invitation: got state %q, want expired", got.State)
	}
	if n := expired(old.ID); n != 1 {
		t.Errorf("expired events of the replaced invitation: got %d, want 1", n)
	}
}

// TestAccept covers who may accept and what the inviter's current grant
// allows.
func TestAccept(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	admin, _ := e.Member(t, a, domain.RoleAdmin, domain.StatusActive, "users.manage", "users.view", "billing.view")

	t.Run("another email is refused, nothing changed", func(t *testing.T) {
		invitee := testenv.UniqueEmail(t)
		_, token := e.Invite(t, a, owner, invitee, "member")
		other, _ := e.SignedUser(t, true)
		before, _ := e.Items(t, a.ID)
		_, err := e.Service.Accept(ctx, domain.Actor{UserID: other.ID}, token)
		if code(err) != "email_mismatch" || !strings.Contains(err.Error(), invitee) {
			t.Errorf("got %v, want email_mismatch naming %s", err, invitee)
		}
		if after, _ := e.Items(t, a.ID); after != before {
			t.Errorf("items: got %d, want %d", after, before)
		}
	})
	t.Run("accepted once, then the link is used", func(t *testing.T) {
		u, _ := e.SignedUser(t, true)
		_, token := e.Invite(t, a, admin, u.Email, "member", "billing.view")
		sess := domain.Session{UserID: u.ID, Verified: true}
		got, err := e.Service.Accept(ctx, domain.Actor{UserID: sess.UserID}, token)
		if err != nil || got.AccountID != a.ID || got.Role != domain.RoleMember || got.AccountName != a.Name {
			t.Fatalf("Accept: got %+v, %v", got, err)
		}
		m, err := e.Store.GetMembership(ctx, a.ID, u.ID)
		if err != nil || m.Status != domain.StatusActive || !m.Permissions.Equal(domain.PermissionSet{Granted: []string{"billing.view"}}) {
			t.Errorf("membership: got %+v, %v", m, err)
		}
		// The invitee is signed in: the membership shows a last login and
		// a last activity at once.
		if m.LastLoginAt.IsZero() || m.LastActiveAt.IsZero() {
			t.Errorf("membership: got last login %v, last active %v; want both set", m.LastLoginAt, m.LastActiveAt)
		}
		for _, f := range []func() error{
			func() error { _, err := e.Service.Accept(ctx, domain.Actor{UserID: sess.UserID}, token); return err },
			func() error { _, err := e.Service.Preview(ctx, token); return err },
		} {
			if err := f(); code(err) != "invalid_token" {
				t.Errorf("used link: got %v, want invalid_token", code(err))
			}
		}
	})
	t.Run("inviter demoted", func(t *testing.T) {
		inviter, _ := e.Member(t, a, domain.RoleAdmin, domain.StatusActive, "users.manage", "users.view", "billing.manage", "billing.view")
		u, _ := e.SignedUser(t, true)
		v, token := e.Invite(t, a, inviter, u.Email, "member", "billing.manage")
		flagged := func() bool {
			page, err := e.Service.List(ctx, actorOf(t, e, a, owner), a.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.Items {
				if it.ID == v.ID {
					return it.ExceedsInviter
				}
			}
			t.Fatalf("invitation %s not listed", v.ID)
			return false
		}
		if flagged() {
			t.Errorf("flagged while the inviter holds what it grants")
		}
		e.AddMember(t, a, inviter, domain.RoleAdmin, domain.StatusActive, "users.manage", "users.view")
		// Flagged on the Pending list as soon as the inviter lost it.
		if !flagged() {
			t.Errorf("not flagged after the inviter lost billing.manage")
		}
		accBefore, histBefore := e.Items(t, a.ID)
		before, _ := e.Store.GetInvitation(ctx, a.ID, v.ID)
		_, err := e.Service.Accept(ctx, domain.Actor{UserID: u.ID}, token)
		if code(err) != "invitation_exceeds_inviter" {
			t.Fatalf("got %v, want invitation_exceeds_inviter", code(err))
		}
		if _, err := e.Store.GetMembership(ctx, a.ID, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("membership made: %v", err)
		}
		// The refusal wrote nothing.
		after, _ := e.Store.GetInvitation(ctx, a.ID, v.ID)
		if acc, hist := e.Items(t, a.ID); acc != accBefore || hist != histBefore || !reflect.DeepEqual(after, before) {
			t.Errorf("refused accept wrote: items %d/%d from %d/%d, invitation %+v from %+v", acc, hist, accBefore, histBefore, after, before)
		}
	})
	t.Run("inviter removed or deactivated", func(t *testing.T) {
		for _, removed := range []bool{true, false} {
			inviter, _ := e.Member(t, a, domain.RoleAdmin, domain.StatusActive, "users.manage", "users.view")
			u, _ := e.SignedUser(t, true)
			_, token := e.Invite(t, a, inviter, u.Email, "member", "users.view")
			if removed {
				e.RemoveMember(t, a, inviter)
			} else {
				e.AddMember(t, a, inviter, domain.RoleAdmin, domain.StatusDeactivated, "users.manage", "users.view")
			}
			_, err := e.Service.Accept(ctx, domain.Actor{UserID: u.ID}, token)
			if code(err) != "invitation_exceeds_inviter" {
				t.Errorf("removed %v: got %v, want invitation_exceeds_inviter", removed, code(err))
			}
		}
	})
	t.Run("bad tokens", func(t *testing.T) {
		u, _ := e.SignedUser(t, true)
		_, token := e.Invite(t, a, owner, u.Email, "member")
		tampered := []byte(token)
		tampered[5] ^= 1
		if tampered[5] == '-' || tampered[5] == '_' {
			tampered[5] = 'A'
		}
		for name, tok := range map[string]string{"empty": "", "malformed": "abc", "tampered": string(tampered), "unknown": strings.Repeat("A", 43), "with space": token + " "} {
			_, err := e.Service.Accept(ctx, domain.Actor{UserID: u.ID}, tok)
			if code(err) != "invalid_token" {
				t.Errorf("%s: got %v, want invalid_token", name, code(err))
			}
			if _, err := e.Service.Preview(ctx, tok); code(err) != "invalid_token" {
				t.Errorf("preview %s: got %v, want invalid_token", name, code(err))
			}
		}
	})
}

// TestConcurrentAccepts: ten accepts of the same link at once make exactly
// one membership and one accepted event.
func TestConcurrentAccepts(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	u, _ := e.SignedUser(t, true)
	_, token := e.Invite(t, a, owner, u.Email, "member", "billing.view")
	_, histBefore := e.Items(t, a.ID)
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.Service.Accept(ctx, domain.Actor{UserID: u.ID}, token)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch code(err) {
		case "":
			ok++
		case "invalid_token", "already_member", "conflict":
		default:
			t.Errorf("loser: got %v, want invalid_token, already_member or conflict", err)
		}
	}
	if ok != 1 {
		t.Errorf("successful accepts: got %d, want 1", ok)
	}
	if _, err := e.Store.GetMembership(ctx, a.ID, u.ID); err != nil {
		t.Errorf("membership: %v", err)
	}
	if _, hist := e.Items(t, a.ID); hist-histBefore != 1 {
		t.Errorf("events: got %d, want 1", hist-histBefore)
	}
}

// TestEditAndRevoke: edits follow the grant rules and optimistic
// concurrency; revoking kills the link at once.
func TestEditAndRevoke(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	admin, _ := e.Member(t, a, domain.RoleAdmin, domain.StatusActive, "users.manage", "users.view", "billing.view")
	email := testenv.UniqueEmail(t)
	v, token := e.Invite(t, a, owner, email, "member", "billing.view")
	role := "admin"
	one := int64(1)
	got, err := e.Service.Edit(ctx, actorOf(t, e, a, admin), a.ID, v.ID, invite.EditInput{Version: &one, Role: &role, Permissions: perms("users.view")})
	if err != nil || got.Role != domain.RoleAdmin || got.Version != 2 {
		t.Fatalf("Edit: got %+v, %v", got, err)
	}
	_, err = e.Service.Edit(ctx, actorOf(t, e, a, owner), a.ID, v.ID, invite.EditInput{Version: &one, Role: &role})
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != "stale_version" || de.Current.(invite.View).Version != 2 {
		t.Errorf("stale edit: got %v, want stale_version with version 2", err)
	}
	two := int64(2)
	if _, err := e.Service.Edit(ctx, actorOf(t, e, a, admin), a.ID, v.ID, invite.EditInput{Version: &two, Permissions: perms("projects.view")}); code(err) != "grant_exceeds_actor" {
		t.Errorf("edit beyond actor: got %v, want grant_exceeds_actor", code(err))
	}
	owner2 := "owner"
	if _, err := e.Service.Edit(ctx, actorOf(t, e, a, owner), a.ID, v.ID, invite.EditInput{Version: &two, Role: &owner2}); code(err) != "invalid_role" {
		t.Errorf("edit to owner: got %v, want invalid_role", code(err))
	}
	if _, err := e.Service.Edit(ctx, actorOf(t, e, a, owner), a.ID, v.ID, invite.EditInput{Role: &role}); code(err) != "missing_version" {
		t.Errorf("edit without version: got %v, want missing_version", code(err))
	}
	if err := e.Service.Revoke(ctx, actorOf(t, e, a, admin), a.ID, v.ID); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if _, err := e.Service.Preview(ctx, token); code(err) != "invalid_token" {
		t.Errorf("revoked link: got %v, want invalid_token", code(err))
	}
	if err := e.Service.Revoke(ctx, actorOf(t, e, a, admin), a.ID, v.ID); code(err) != "invitation_not_pending" {
		t.Errorf("second revoke: got %v, want invitation_not_pending", code(err))
	}
	if _, err := e.Service.Edit(ctx, actorOf(t, e, a, owner), a.ID, v.ID, invite.EditInput{Version: &two, Role: &role}); code(err) != "invitation_not_pending" {
		t.Errorf("edit revoked: got %v, want invitation_not_pending", code(err))
	}
	// The email's slot is free again.
	if _, tok := e.Invite(t, a, owner, email, "member"); tok == "" {
		t.Errorf("re-invite after revoke sent no link")
	}
}

// TestHourlyCap: past the inviter's hourly cap creates and resends are
// refused with Retry-After, and nothing is written.
func TestHourlyCap(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	e.Config.PerHour = 2
	e.Rebuild()
	a, owner, _ := e.Account(t)
	v, _ := e.Invite(t, a, owner, testenv.UniqueEmail(t), "member")
	e.Invite(t, a, owner, testenv.UniqueEmail(t), "member")
	before, hist := e.Items(t, a.ID)
	email := testenv.UniqueEmail(t)
	_, err := e.Service.Create(ctx, actorOf(t, e, a, owner), a.ID, invite.CreateInput{Email: email, Role: "member", Permissions: perms()}, "")
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != "invitations_rate_limited" || de.RetryAfter <= 0 || api.StatusOf(de.Kind) != 429 {
		t.Fatalf("third invite: got %v, want 429 invitations_rate_limited with Retry-After", err)
	}
	if after, h := e.Items(t, a.ID); after != before || h != hist {
		t.Errorf("items: got %d/%d, want %d/%d", after, h, before, hist)
	}
	if n := len(testenv.MailTo(t, email)); n != 0 {
		t.Errorf("mails: got %d, want 0", n)
	}
	e.Config.ResendInterval = time.Nanosecond
	e.Rebuild()
	if _, err := e.Service.Resend(ctx, actorOf(t, e, a, owner), a.ID, v.ID); code(err) != "invitations_rate_limited" {
		t.Errorf("resend past cap: got %v, want invitations_rate_limited", code(err))
	}

	// The cap is the inviter's, across accounts: a new account of theirs
	// does not reset it.
	b := e.AccountOf(t, owner, "Second")
	if _, err := e.Service.Create(ctx, actorOf(t, e, b, owner), b.ID, invite.CreateInput{Email: email, Role: "member", Permissions: perms()}, ""); code(err) != "invitations_rate_limited" {
		t.Errorf("invite from a new account past the cap: got %v, want invitations_rate_limited", code(err))
	}
	// Another admin of the first account has a cap of their own.
	other, _ := e.Member(t, a, domain.RoleAdmin, domain.StatusActive, "users.manage", "users.view")
	if _, err := e.Service.Create(ctx, actorOf(t, e, a, other), a.ID, invite.CreateInput{Email: email, Role: "member", Permissions: perms()}, ""); err != nil {
		t.Errorf("another inviter: got %v, want the invitation", err)
	}
}

// TestListPagesAndCursor: pages of 50 follow each other; a cursor of
// another account or a tampered one is refused; users.view is needed.
func TestListPagesAndCursor(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	b, otherOwner, _ := e.Account(t)
	proto := domain.Invitation{AccountID: a.ID, AccountName: a.Name, Email: "seed@example.com", Role: domain.RoleMember,
		Permissions: domain.PermissionSet{Granted: []string{}}, InviterID: owner.ID, CreatedAt: time.Now().UTC(),
		ExpiresAt: time.Now().Add(time.Hour), State: domain.InvitePending, Delivery: domain.DeliverySent}
	if err := e.Store.SeedInvitations(ctx, proto, 120); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		p, err := e.Service.List(ctx, actorOf(t, e, a, owner), a.ID, cursor)
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		pages++
		if len(p.Items) > invite.PageSize {
			t.Errorf("page size: got %d, want at most %d", len(p.Items), invite.PageSize)
		}
		for _, it := range p.Items {
			seen[it.ID] = true
		}
		if p.Next == "" {
			break
		}
		if pages == 1 {
			if _, err := e.Service.List(ctx, actorOf(t, e, b, otherOwner), b.ID, p.Next); code(err) != "invalid_cursor" {
				t.Errorf("foreign cursor: got %v, want invalid_cursor", code(err))
			}
			if _, err := e.Service.List(ctx, actorOf(t, e, a, owner), a.ID, p.Next[:len(p.Next)-2]+"xx"); code(err) != "invalid_cursor" {
				t.Errorf("tampered cursor: got %v, want invalid_cursor", code(err))
			}
		}
		cursor = p.Next
	}
	if len(seen) != 120 || pages != 3 {
		t.Errorf("listed: got %d items in %d pages, want 120 in 3", len(seen), pages)
	}
	nobody, _ := e.Member(t, a, domain.RoleMember, domain.StatusActive, "billing.view")
	if _, err := e.Service.List(ctx, actorOf(t, e, a, nobody), a.ID, ""); code(err) != "missing_permission" {
		t.Errorf("without users.view: got %v, want missing_permission", code(err))
	}
}
