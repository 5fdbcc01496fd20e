package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
	"roster/shared/telemetry"
	"roster/shared/testenv"
)

// TestSyncAccountName copies a renamed account's name onto every one of
// its memberships, over several pages of the query, each moving on a
// version; a second run writes nothing; another account is untouched.
func TestSyncAccountName(t *testing.T) {
	t.Parallel()
	s := testenv.NewStore(t)
	ctx := context.Background()
	seed := func(name string, n int) domain.Account {
		a := domain.Account{ID: store.NewID(), Name: name, OwnerID: "owner", CreatedAt: time.Now().UTC()}
		owner := domain.Membership{AccountID: a.ID, AccountName: name, UserID: "owner", Email: "owner@example.com", Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive}
		if err := s.CreateAccount(ctx, a, owner, domain.AuditEvent{AccountID: a.ID, Action: domain.ActionAccountCreated}, store.Limit{}); err != nil {
			t.Fatal(err)
		}
		ms := make([]domain.Membership, n)
		for i := range ms {
			ms[i] = domain.Membership{AccountID: a.ID, AccountName: name, UserID: store.NewID(), Email: fmt.Sprintf("m%d@example.com", i),
				FirstName: "M", LastName: fmt.Sprint(i), Role: domain.RoleMember, Status: domain.StatusActive, Version: 1}
		}
		if err := s.SeedMembers(ctx, ms); err != nil {
			t.Fatal(err)
		}
		a.Version = 1
		return a
	}
	const members = 300
	a, other := seed("Acme", members), seed("Other", 3)
	renamed := domain.AccountRenamed(domain.Actor{UserID: "owner"}, a.ID, a.Name, "Acme Analytical", time.Now().UTC())
	if _, err := s.RenameAccount(ctx, a, "Acme Analytical", renamed); err != nil {
		t.Fatal(err)
	}

	c, rec := telemetry.WithRecorder(ctx)
	n, err := s.SyncAccountName(c, a.ID)
	if err != nil || n != members+1 {
		t.Fatalf("sync: got %d, %v; want %d memberships", n, err, members+1)
	}
	cost := rec.Summary()
	t.Logf("sync of %d memberships: %v, %g RCU, %g WCU", n, cost.ByOp, cost.RCU, cost.WCU)
	for _, id := range []string{"owner"} {
		if m, err := s.GetMembership(ctx, a.ID, id); err != nil || m.AccountName != "Acme Analytical" || m.Version != 2 {
			t.Errorf("membership %s: got %q v%d, %v", id, m.AccountName, m.Version, err)
		}
	}
	if n, err := s.SyncAccountName(ctx, a.ID); err != nil || n != 0 {
		t.Errorf("second sync: got %d, %v; want nothing written", n, err)
	}
	if n, err := s.SyncAccountName(ctx, other.ID); err != nil || n != 0 {
		t.Errorf("the other account: got %d, %v; want nothing written", n, err)
	}
	if _, err := s.SyncAccountName(ctx, "gone"); !store.IsNotFound(err) {
		t.Errorf("a missing account: got %v, want not found", err)
	}
}
