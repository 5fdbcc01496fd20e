package store_test

import (
	"errors"
	"testing"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
	"roster/shared/testenv"
)

func newInvitation(accountID, email string, now time.Time) domain.Invitation {
	return domain.Invitation{ID: store.NewID(), AccountID: accountID, AccountName: "Acme", Email: email, Role: domain.RoleMember,
		Permissions: domain.PermissionSet{Granted: []string{"billing.view"}}, InviterID: "inviter", CreatedAt: now, LastAttemptAt: now,
		ExpiresAt: now.Add(time.Hour), State: domain.InvitePending, Delivery: domain.DeliveryQueued, MailID: store.NewID()}
}

// issueLink issues a link of inv's current mail, as the mail sender does,
// and returns inv with its token hash.
func issueLink(t *testing.T, s *store.Store, inv domain.Invitation) domain.Invitation {
	t.Helper()
	hash := "hash-" + store.NewID()
	if err := s.IssueInvitationLink(ctx, inv, inv.MailID, hash); err != nil {
		t.Fatalf("issue link: %v", err)
	}
	inv.TokenHash = hash
	return inv
}

func invEvent(accountID string, now time.Time) domain.AuditEvent {
	return domain.AuditEvent{AccountID: accountID, At: now, Action: domain.ActionInvitationCreated}
}

// TestInvitationWrites: each refused write names its cause and writes
// nothing; tokens find their invitation until replaced; a foreign cursor is
// refused.
func TestInvitationWrites(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	now := time.Now().UTC()
	s := store.New(db, table).WithClock(func() time.Time { return now })
	acct := store.NewID()
	u := newUser("member@example.com")
	if err := s.CreateUser(ctx, u, store.Mail{}); err != nil {
		t.Fatal(err)
	}
	owner := domain.Membership{AccountID: acct, UserID: u.ID, Email: u.Email, Role: domain.RoleOwner, Status: domain.StatusActive}
	if err := s.CreateAccount(ctx, domain.Account{ID: acct, Name: "Acme", OwnerID: u.ID}, owner, invEvent(acct, now), store.Limit{}); err != nil {
		t.Fatal(err)
	}
	first := newInvitation(acct, "a@example.com", now)
	limit := store.Limit{Max: 2, Window: time.Hour}
	if err := s.CreateInvitation(ctx, store.NewInvitation{Invitation: first, Limit: limit, Event: invEvent(acct, now)}); err != nil {
		t.Fatalf("create: %v", err)
	}
	base := countPK(t, db, table, "ACCOUNT#"+acct)

	var rl *store.RateLimitedError
	tests := []struct {
		name string
		n    store.NewInvitation
		want func(error) bool
	}{
		{"email pending", store.NewInvitation{Invitation: newInvitation(acct, "a@example.com", now), Limit: limit, Event: invEvent(acct, now)},
			func(err error) bool { return errors.Is(err, store.ErrInvitationPending) }},
		{"already a member", store.NewInvitation{Invitation: newInvitation(acct, u.Email, now), MemberUserID: u.ID, Limit: limit, Event: invEvent(acct, now)},
			func(err error) bool { return errors.Is(err, store.ErrAlreadyMember) }},
	}
	for _, tt := range tests {
		if err := s.CreateInvitation(ctx, tt.n); !tt.want(err) {
			t.Errorf("%s: got %v", tt.name, err)
		}
	}
	if err := s.CreateInvitation(ctx, store.NewInvitation{Invitation: newInvitation(acct, "b@example.com", now), Limit: limit, Event: invEvent(acct, now)}); err != nil {
		t.Fatalf("second create: %v", err)
	}
	if err := s.CreateInvitation(ctx, store.NewInvitation{Invitation: newInvitation(acct, "c@example.com", now), Limit: limit, Event: invEvent(acct, now)}); !errors.As(err, &rl) || rl.RetryAfter <= 0 {
		t.Errorf("past the limit: got %v, want *RateLimitedError", err)
	}
	if got := countPK(t, db, table, "ACCOUNT#"+acct); got != base+3 {
		t.Errorf("account items: got %d, want %d (only the second invitation, its slot and its expiry marker)", got, base+3)
	}

	// No link until the sender issues one; then it finds the invitation.
	if _, err := s.InvitationByToken(ctx, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("no link yet: got %v, want ErrNotFound", err)
	}
	first = issueLink(t, s, first)
	got, err := s.InvitationByToken(ctx, first.TokenHash)
	if err != nil || got.ID != first.ID || got.Version != 1 {
		t.Fatalf("by token: got %+v, %v", got, err)
	}
	// A link for a mail that is not the invitation's current one is refused.
	if err := s.IssueInvitationLink(ctx, got, store.NewID(), "hash-other"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("link of another mail: got %v, want ErrConflict", err)
	}
	mail := store.NewMail(store.MailInvite, got.Email, now)
	resent, err := s.ResendInvitation(ctx, got, mail, now.Add(2*time.Hour), store.Limit{}, invEvent(acct, now))
	if err != nil || resent.Version != 2 || resent.MailID != mail.ID || resent.TokenHash != "" {
		t.Fatalf("resend: got %+v, %v", resent, err)
	}
	if _, err := s.InvitationByToken(ctx, first.TokenHash); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old token: got %v, want ErrNotFound", err)
	}
	// The old mail can no longer issue a link.
	if err := s.IssueInvitationLink(ctx, got, first.MailID, "hash-late"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("late link of the old mail: got %v, want ErrConflict", err)
	}
	// A write at a stale version is refused.
	if err := s.RevokeInvitation(ctx, got, invEvent(acct, now)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale revoke: got %v, want ErrConflict", err)
	}

	page, next, err := s.ListPendingInvitations(ctx, acct, "", 1)
	if err != nil || len(page) != 1 || next == "" {
		t.Fatalf("list: got %d items next %q, %v", len(page), next, err)
	}
	if _, _, err := s.ListPendingInvitations(ctx, store.NewID(), next, 1); !errors.Is(err, store.ErrInvalidCursor) {
		t.Errorf("foreign cursor: got %v, want ErrInvalidCursor", err)
	}
}
