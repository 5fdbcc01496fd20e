package members_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/members"
	"roster/shared/store"
	"roster/shared/telemetry"
)

var ctx = context.Background()

func ptr[T any](v T) *T { return &v }

func perms(names ...string) *domain.PermissionSet { return &domain.PermissionSet{Granted: names} }

// code returns the error's code, "" for nil, and fails on a non-domain error.
func code(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	e := domain.AsError(err)
	if e == nil {
		t.Fatalf("got a non-domain error %v", err)
	}
	return e.Code
}

// TestEscalationAttempts: every attempt to get or give more than the actor
// holds, or to touch the owner, is refused with its code and writes nothing.
func TestEscalationAttempts(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	limited := f.Add(t, "Lim", "Ited", domain.RoleAdmin, "users.view", "users.manage", "billing.view")
	rich := f.Add(t, "Rich", "Admin", domain.RoleAdmin, "all")
	richer := f.Add(t, "Bill", "Manager", domain.RoleAdmin, "users.view", "billing.manage", "billing.view")
	selfManager := f.Add(t, "Sam", "Self", domain.RoleMember, "users.view", "users.manage")
	plain := f.Add(t, "Pat", "Plain", domain.RoleMember, "billing.view")
	viewer := f.Add(t, "Vi", "Ewer", domain.RoleMember, "users.view")
	gone := f.Add(t, "Dee", "Activated", domain.RoleMember, "billing.view")
	if _, err := f.Service.SetStatus(ctx, f.MustActor(t, f.Owner.Cookie), f.Account.ID, gone.User.ID, 1, false, ""); err != nil {
		t.Fatal(err)
	}
	owner := f.Owner

	type attempt struct {
		name  string
		actor fixture.Person
		do    func(a domain.Actor) error
		want  string
	}
	edit := func(target fixture.Person, e members.Edit) func(domain.Actor) error {
		return func(a domain.Actor) error {
			if e.Version == 0 {
				e.Version = f.Membership(t, target.User.ID).Version
			}
			_, err := f.Service.Update(ctx, a, f.Account.ID, target.User.ID, e)
			return err
		}
	}
	deactivate := func(target fixture.Person) func(domain.Actor) error {
		return func(a domain.Actor) error {
			_, err := f.Service.SetStatus(ctx, a, f.Account.ID, target.User.ID, f.Membership(t, target.User.ID).Version, false, "")
			return err
		}
	}
	remove := func(target fixture.Person) func(domain.Actor) error {
		return func(a domain.Actor) error {
			return f.Service.Remove(ctx, a, f.Account.ID, target.User.ID, f.Membership(t, target.User.ID).Version, "")
		}
	}
	attempts := []attempt{
		{"limited admin grants beyond itself", limited, edit(plain, members.Edit{Permissions: perms("billing.manage")}), "grant_exceeds_actor"},
		{"limited admin grants All", limited, edit(plain, members.Edit{Permissions: &domain.PermissionSet{All: true}}), "grant_all"},
		{"limited admin edits a richer admin", limited, edit(richer, members.Edit{Permissions: perms("users.view")}), "target_exceeds_actor"},
		{"limited admin edits an All admin", limited, edit(rich, members.Edit{FirstName: ptr("X")}), "target_exceeds_actor"},
		{"limited admin raises itself", limited, edit(limited, members.Edit{Permissions: perms("users.view", "users.manage", "billing.view", "billing.manage")}), "self_escalation"},
		{"member with users.manage promotes self", selfManager, edit(selfManager, members.Edit{Role: ptr("admin")}), "self_escalation"},
		{"viewer edits a member", viewer, edit(plain, members.Edit{Permissions: perms()}), "missing_permission"},
		{"admin edits the owner's permissions", rich, edit(owner, members.Edit{Permissions: perms("users.view")}), "owner_protected"},
		{"admin edits the owner's name", rich, edit(owner, members.Edit{FirstName: ptr("Mallory")}), "owner_protected"},
		{"admin makes the owner an admin", rich, edit(owner, members.Edit{Role: ptr("admin")}), "owner_protected"},
		{"admin deactivates the owner", rich, deactivate(owner), "owner_protected"},
		{"admin removes the owner", rich, remove(owner), "owner_protected"},
		{"owner changes own role", owner, edit(owner, members.Edit{Role: ptr("admin")}), "owner_protected"},
		{"owner role given by edit", owner, edit(plain, members.Edit{Role: ptr("owner")}), "invalid_role"},
		{"role change of a deactivated member", owner, edit(gone, members.Edit{Role: ptr("admin")}), "member_not_active"},
		{"limited admin deactivates a richer admin", limited, deactivate(richer), "target_exceeds_actor"},
		{"limited admin removes an All admin", limited, remove(rich), "target_exceeds_actor"},
		{"viewer removes a member", viewer, remove(plain), "missing_permission"},
		{"unknown permission", owner, edit(plain, members.Edit{Permissions: perms("billing.delete")}), "unknown_permission"},
		{"missing version", owner, func(a domain.Actor) error {
			_, err := f.Service.Update(ctx, a, f.Account.ID, plain.User.ID, members.Edit{Role: ptr("admin")})
			return err
		}, "missing_version"},
		{"stale version", owner, edit(plain, members.Edit{Version: 99, Role: ptr("admin")}), "stale_version"},
		{"unknown member", owner, func(a domain.Actor) error {
			_, err := f.Service.Update(ctx, a, f.Account.ID, store.NewID(), members.Edit{Version: 1, Role: ptr("admin")})
			return err
		}, "member_not_found"},
	}
	for _, tt := range attempts {
		t.Run(tt.name, func(t *testing.T) {
			before := f.Counts(t)
			err := tt.do(f.MustActor(t, tt.actor.Cookie))
			if got := code(t, err); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if after := f.Counts(t); after != before {
				t.Errorf("items: got %v, want %v (nothing written)", after, before)
			}
		})
	}
}

func TestUpdateWritesOneEventPerKind(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	admin := f.Add(t, "Ada", "Admin", domain.RoleAdmin, "users.view", "users.manage", "billing.view", "billing.manage")
	m := f.Add(t, "Max", "Member", domain.RoleMember, "billing.view")
	actor := f.MustActor(t, admin.Cookie)
	before := f.Counts(t)

	// A no-op writes nothing and answers the member as it is.
	got, err := f.Service.Update(ctx, actor, f.Account.ID, m.User.ID, members.Edit{Version: 1, Role: ptr("member"), Permissions: perms("billing.view"), FirstName: ptr("Max")})
	if err != nil || got.Version != 1 {
		t.Fatalf("no-op: got %+v, %v; want version 1", got, err)
	}
	if after := f.Counts(t); after != before {
		t.Errorf("no-op items: got %v, want %v", after, before)
	}

	// Role, permissions and name at once: three events, one transaction.
	got, err = f.Service.Update(ctx, actor, f.Account.ID, m.User.ID, members.Edit{Version: 1, Role: ptr("admin"),
		Permissions: perms("billing.manage", "users.view"), FirstName: ptr("Maxime")})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if got.Version != 2 || got.Role != domain.RoleAdmin || got.FirstName != "Maxime" ||
		!slices.Equal(got.Permissions.Granted, []string{"billing.manage", "billing.view", "users.view"}) {
		t.Errorf("update: got %+v, want version 2, admin, Maxime, billing.manage+view, users.view", got)
	}
	after := f.Counts(t)
	if after.History != before.History+3 || after.Account != before.Account {
		t.Errorf("items: got %v, want history +3 from %v", after, before)
	}
	if n := f.MemberHistory(t, m.User.ID); n != 3 {
		t.Errorf("member history: got %d, want 3", n)
	}
	var actions []string
	for _, ev := range f.Events(t) {
		if ev.Target.UserID != m.User.ID {
			continue
		}
		actions = append(actions, ev.Action)
		if ev.Action == domain.ActionMemberPermissions {
			after, _ := ev.After.(map[string]any)
			before, _ := ev.Before.(map[string]any)
			if fmt.Sprint(after["added"]) != "[billing.manage users.view]" || before["removed"] != nil {
				t.Errorf("permissions event: got before %v after %v, want added [billing.manage users.view], none removed", ev.Before, ev.After)
			}
		}
	}
	slices.Sort(actions)
	if want := []string{domain.ActionMemberPermissions, domain.ActionMemberProfile, domain.ActionMemberRole}; !slices.Equal(actions, want) {
		t.Errorf("actions: got %v, want %v", actions, want)
	}
	// The search index follows the new name.
	page, err := f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Q: "maxime"})
	if err != nil || len(page.Items) != 1 || page.Items[0].UserID != m.User.ID {
		t.Errorf("search new name: got %+v, %v; want the member", page.Items, err)
	}
	if page, _ := f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Q: "max member"}); len(page.Items) != 1 {
		t.Errorf("search: got %d for 'max member', want 1 (maxime starts with max)", len(page.Items))
	}

	// A stale version: 409 with the current member, nothing written.
	before = f.Counts(t)
	_, err = f.Service.Update(ctx, actor, f.Account.ID, m.User.ID, members.Edit{Version: 1, LastName: ptr("Other")})
	e := domain.AsError(err)
	if e == nil || e.Code != domain.EStale {
		t.Fatalf("stale: got %v, want stale_version", err)
	}
	if cur, ok := e.Current.(members.Member); !ok || cur.Version != 2 || cur.FirstName != "Maxime" {
		t.Errorf("stale current: got %+v, want the member at version 2", e.Current)
	}
	if after := f.Counts(t); after != before {
		t.Errorf("stale items: got %v, want %v", after, before)
	}
}

func TestConcurrentEdits(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	m := f.Add(t, "Con", "Current", domain.RoleMember, "billing.view")
	actor := f.MustActor(t, f.Owner.Cookie)
	const n = 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.Service.Update(ctx, actor, f.Account.ID, m.User.ID, members.Edit{Version: 1, LastName: ptr(fmt.Sprintf("Edit %d", i))})
		}()
	}
	wg.Wait()
	won, stale := 0, 0
	for _, err := range errs {
		switch code(t, err) {
		case "":
			won++
		case domain.EStale:
			stale++
		default:
			t.Errorf("edit: got %v, want success or stale_version", err)
		}
	}
	if won != 1 || stale != n-1 {
		t.Errorf("got %d won and %d stale, want 1 and %d", won, stale, n-1)
	}
	if got := f.Membership(t, m.User.ID).Version; got != 2 {
		t.Errorf("version: got %d, want 2", got)
	}
	if got := f.MemberHistory(t, m.User.ID); got != 1 {
		t.Errorf("events: got %d, want 1", got)
	}
}

func TestDeactivateReactivateRemove(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	admin := f.Add(t, "Ada", "Admin", domain.RoleAdmin, "users.view", "users.manage", "billing.view")
	m := f.Add(t, "Dora", "Explorer", domain.RoleMember, "billing.view")
	actor := f.MustActor(t, admin.Cookie)

	got, err := f.Service.SetStatus(ctx, actor, f.Account.ID, m.User.ID, 1, false, "")
	if err != nil || got.Status != domain.StatusDeactivated || got.Role != domain.RoleMember || !slices.Equal(got.Permissions.Granted, []string{"billing.view"}) {
		t.Fatalf("deactivate: got %+v, %v; want deactivated keeping role and permissions", got, err)
	}
	// Refused on the very next request.
	if _, err := f.Actor(m.Cookie); code(t, err) != "member_deactivated" {
		t.Errorf("deactivated member's request: got %v, want member_deactivated", err)
	}
	// Listed under Deactivated, not Active.
	list := func(status domain.MemberStatus) []string {
		page, err := f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Status: status})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, it := range page.Items {
			ids = append(ids, it.UserID)
		}
		return ids
	}
	if !slices.Contains(list(domain.StatusDeactivated), m.User.ID) || slices.Contains(list(domain.StatusActive), m.User.ID) {
		t.Errorf("lists: got active %v deactivated %v, want the member only under deactivated", list(domain.StatusActive), list(domain.StatusDeactivated))
	}
	// Deactivating again writes nothing.
	before := f.Counts(t)
	if _, err := f.Service.SetStatus(ctx, actor, f.Account.ID, m.User.ID, 2, false, ""); err != nil {
		t.Errorf("deactivate again: %v", err)
	}
	if after := f.Counts(t); after != before {
		t.Errorf("deactivate again: got %v, want %v", after, before)
	}
	// Yourself: refused.
	if _, err := f.Service.SetStatus(ctx, actor, f.Account.ID, admin.User.ID, 1, false, ""); code(t, err) != "self_deactivation" {
		t.Errorf("self deactivation: got %v, want self_deactivation", err)
	}

	got, err = f.Service.SetStatus(ctx, actor, f.Account.ID, m.User.ID, 2, true, "")
	if err != nil || got.Status != domain.StatusActive || got.Version != 3 {
		t.Fatalf("reactivate: got %+v, %v", got, err)
	}
	if a, err := f.Actor(m.Cookie); err != nil || !a.Can("billing.view") {
		t.Errorf("reactivated member: got %+v, %v; want access with billing.view", a, err)
	}

	before = f.Counts(t)
	if err := f.Service.Remove(ctx, actor, f.Account.ID, m.User.ID, 2, ""); code(t, err) != domain.EStale {
		t.Errorf("remove with a stale version: got %v, want stale_version", err)
	}
	if err := f.Service.Remove(ctx, actor, f.Account.ID, m.User.ID, 3, ""); err != nil {
		t.Fatalf("remove: %v", err)
	}
	after := f.Counts(t)
	words := len(store.SearchKeys(m.Member.FirstName, m.Member.LastName, m.Member.Email))
	if after.Account != before.Account || after.Search != before.Search-words || after.History != before.History+1 {
		t.Errorf("remove: got %v from %v, want the membership replaced by its former-member record, %d search entries fewer, one event more", after, before, words)
	}
	// Kept as a former member: listed under removed only, with when and by
	// whom, and no access.
	if got := list(domain.StatusRemoved); !slices.Equal(got, []string{m.User.ID}) {
		t.Errorf("removed list: got %v, want %v", got, []string{m.User.ID})
	}
	if slices.Contains(list(domain.StatusActive), m.User.ID) || slices.Contains(list(domain.StatusDeactivated), m.User.ID) {
		t.Errorf("a removed member is still listed as a member")
	}
	former, err := f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Status: domain.StatusRemoved})
	if err != nil {
		t.Fatal(err)
	}
	if got := former.Items[0]; got.Status != domain.StatusRemoved || got.RemovedBy == nil || got.RemovedBy.UserID != admin.User.ID ||
		got.RemovedAt.IsZero() || got.Role != domain.RoleMember || !slices.Equal(got.Permissions.Granted, []string{"billing.view"}) {
		t.Errorf("former member: got %+v, want status removed, removed by the admin, last role and permissions", got)
	}
	if _, err := f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Status: domain.StatusRemoved, Q: "dora"}); code(t, err) != "invalid_status" {
		t.Errorf("search of removed members: got %v, want invalid_status", err)
	}
	if accts, err := f.Store.AccountsOfUser(ctx, m.User.ID); err != nil || len(accts) != 0 {
		t.Errorf("the removed member's accounts: got %v, %v; want none", accts, err)
	}
	if _, err := f.Actor(m.Cookie); code(t, err) != "account_not_found" {
		t.Errorf("removed member's request: got %v, want account_not_found", err)
	}
	// Their login survives, and the history keeps what was done to them.
	if _, err := f.Store.GetUser(ctx, m.User.ID); err != nil {
		t.Errorf("removed member's user: %v", err)
	}
	if n := f.MemberHistory(t, m.User.ID); n != 3 {
		t.Errorf("member history: got %d events, want 3 (deactivated, reactivated, removed)", n)
	}
	if _, err := f.Service.Get(ctx, actor, f.Account.ID, m.User.ID); code(t, err) != "member_not_found" {
		t.Errorf("read removed member: got %v, want member_not_found", err)
	}
	// Joining again makes a fresh membership and ends the record.
	if err := f.Store.AddMember(ctx, domain.Membership{AccountID: f.Account.ID, UserID: m.User.ID, Email: m.User.Email, FirstName: "Dora", LastName: "Explorer",
		Role: domain.RoleMember, Permissions: domain.PermissionSet{Granted: []string{"support.view"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := list(domain.StatusRemoved); len(got) != 0 {
		t.Errorf("removed list after joining again: got %v, want none", got)
	}
	if got := f.Membership(t, m.User.ID); got.Status != domain.StatusActive || got.Version != 1 || got.RemovedBy != nil {
		t.Errorf("membership after joining again: got %+v, want a fresh active one", got)
	}
}

func TestRemovedMemberKeepsOtherAccounts(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	m := f.Add(t, "Two", "Accounts", domain.RoleMember, "billing.view")
	second := domain.Account{ID: store.NewID(), Name: "Second", OwnerID: m.User.ID, CreatedAt: time.Now()}
	own := domain.Membership{AccountID: second.ID, UserID: m.User.ID, Email: m.User.Email, Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive}
	if err := f.Store.CreateAccount(ctx, second, own, domain.AuditEvent{AccountID: second.ID, Action: domain.ActionAccountCreated}, store.Limit{}); err != nil {
		t.Fatal(err)
	}
	if err := f.Service.Remove(ctx, f.MustActor(t, f.Owner.Cookie), f.Account.ID, m.User.ID, 1, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Auth.Member(ctx, fixture.Bare("GET", m.Cookie, nil), second.ID); err != nil {
		t.Errorf("the other account: got %v, want access", err)
	}
}

func TestOwnershipHandover(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	admin := f.Add(t, "Heir", "Apparent", domain.RoleAdmin, "users.view")
	member := f.Add(t, "Not", "Admin", domain.RoleMember, "users.view")
	owner := f.MustActor(t, f.Owner.Cookie)
	refusals := []struct {
		name  string
		actor fixture.Person
		h     members.HandOver
		want  string
	}{
		{"not the owner", admin, members.HandOver{UserID: admin.User.ID, Password: fixture.Password, Version: 1}, "owner_only"},
		{"wrong password", f.Owner, members.HandOver{UserID: admin.User.ID, Password: "wrong", Version: 1}, "wrong_password"},
		{"to a member", f.Owner, members.HandOver{UserID: member.User.ID, Password: fixture.Password, Version: 1}, "target_not_admin"},
		{"to oneself", f.Owner, members.HandOver{UserID: f.Owner.User.ID, Password: fixture.Password, Version: 1}, "target_not_admin"},
		{"stale", f.Owner, members.HandOver{UserID: admin.User.ID, Password: fixture.Password, Version: 7}, domain.EStale},
		{"no version", f.Owner, members.HandOver{UserID: admin.User.ID, Password: fixture.Password}, "missing_version"},
		{"unknown user", f.Owner, members.HandOver{UserID: store.NewID(), Password: fixture.Password, Version: 1}, "member_not_found"},
	}
	for _, tt := range refusals {
		before := f.Counts(t)
		_, err := f.Service.TransferOwnership(ctx, f.MustActor(t, tt.actor.Cookie), f.Account.ID, tt.h)
		if got := code(t, err); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
		if after := f.Counts(t); after != before {
			t.Errorf("%s: items got %v, want %v", tt.name, after, before)
		}
	}
	// Guessing the password is cut short: after auth.SecondFactorPerUser
	// wrong ones (one was above), the answer is rate_limited.
	limited := false
	for i := range auth.SecondFactorPerUser.Max {
		_, err := f.Service.TransferOwnership(ctx, owner, f.Account.ID, members.HandOver{UserID: admin.User.ID, Password: fmt.Sprintf("guess %d", i), Version: 1})
		switch got := code(t, err); got {
		case "wrong_password":
			if limited {
				t.Fatalf("guess %d: got wrong_password after rate_limited", i)
			}
		case "rate_limited":
			limited = true
		default:
			t.Fatalf("guess %d: got %q, want wrong_password or rate_limited", i, got)
		}
	}
	if !limited {
		t.Fatalf("got no rate_limited after %d wrong passwords", auth.SecondFactorPerUser.Max+1)
	}
	if _, err := f.Service.TransferOwnership(ctx, owner, f.Account.ID, members.HandOver{UserID: admin.User.ID, Password: fixture.Password, Version: 1}); code(t, err) != "rate_limited" {
		t.Fatalf("right password after the limit: got %v, want rate_limited", err)
	}
	f.Store = f.Store.WithClock(func() time.Time { return time.Now().Add(20 * time.Minute) })
	f.Service = members.NewService(f.Store, domain.DefaultCatalog())
	got, err := f.Service.TransferOwnership(ctx, owner, f.Account.ID, members.HandOver{UserID: admin.User.ID, Password: fixture.Password, Version: 1})
	if err != nil || got.Role != domain.RoleOwner || !got.Permissions.All {
		t.Fatalf("handover: got %+v, %v", got, err)
	}
	if old := f.Membership(t, f.Owner.User.ID); old.Role != domain.RoleAdmin || !old.Permissions.All {
		t.Errorf("old owner: got %s %+v, want admin with All", old.Role, old.Permissions)
	}
	if a, err := f.Store.GetAccount(ctx, f.Account.ID); err != nil || a.OwnerID != admin.User.ID {
		t.Errorf("account owner: got %q, %v; want %s", a.OwnerID, err, admin.User.ID)
	}
	evs := f.Events(t)
	if last := evs[len(evs)-1]; last.Action != domain.ActionOwnershipHandedOver || last.Target.UserID != admin.User.ID {
		t.Errorf("event: got %s about %s, want %s about the new owner", last.Action, last.Target.UserID, domain.ActionOwnershipHandedOver)
	}
	// The new owner is protected from the old one now.
	oldOwner := f.MustActor(t, f.Owner.Cookie)
	if _, err := f.Service.SetStatus(ctx, oldOwner, f.Account.ID, admin.User.ID, 2, false, ""); code(t, err) != "owner_protected" {
		t.Errorf("old owner deactivates new owner: got %v, want owner_protected", err)
	}
}

// seed writes n members named so that their name order is known.
func seed(t *testing.T, f *fixture.AccountEnv, n int, status domain.MemberStatus) []domain.Membership {
	t.Helper()
	ms := make([]domain.Membership, n)
	for i := range ms {
		ms[i] = domain.Membership{AccountID: f.Account.ID, UserID: store.NewID(), Email: fmt.Sprintf("user%04d@seed.example", i),
			FirstName: fmt.Sprintf("Seed%04d", i), LastName: "Person", Role: domain.RoleMember,
			Permissions: domain.PermissionSet{Granted: []string{"billing.view"}}, Status: status, JoinedAt: time.Now()}
	}
	if err := f.Store.SeedMembers(ctx, ms); err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestPaging(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	seed(t, f, 120, domain.StatusActive)
	seed(t, f, 5, domain.StatusDeactivated)
	actor := f.MustActor(t, f.Owner.Cookie)
	var names []string
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		ctx, rec := telemetry.WithRecorder(ctx)
		page, err := f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Cursor: cursor})
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		if sum := rec.Summary(); sum.Calls != 1 || sum.ByOp["Query"] != 1 {
			t.Errorf("page %d: got %d calls %v, want one Query", pages, sum.Calls, sum.ByOp)
		}
		for _, m := range page.Items {
			if seen[m.UserID] {
				t.Errorf("page %d repeats %s", pages, m.UserID)
			}
			seen[m.UserID] = true
			names = append(names, strings.ToLower(m.FirstName+" "+m.LastName))
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
		if pages > 5 {
			t.Fatal("too many pages")
		}
	}
	// 121 active (the owner and 120 seeded) at 50 a page.
	if pages != 3 || len(seen) != 121 {
		t.Errorf("got %d pages and %d members, want 3 and 121", pages, len(seen))
	}
	if !slices.IsSorted(names) {
		t.Errorf("names are not in order: %v", names)
	}
	// Page size.
	page, err := f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Limit: 100})
	if err != nil || len(page.Items) != 100 {
		t.Errorf("limit 100: got %d, %v", len(page.Items), err)
	}
	page, err = f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Status: domain.StatusDeactivated})
	if err != nil || len(page.Items) != 5 || page.Next != "" {
		t.Errorf("deactivated: got %d next %q, %v; want 5 and no next", len(page.Items), page.Next, err)
	}
}

func TestListRefusals(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	seed(t, f, 3, domain.StatusActive)
	viewer := f.Add(t, "Vi", "Ewer", domain.RoleMember, "users.view")
	billing := f.Add(t, "Bill", "Only", domain.RoleMember, "billing.view")
	actor := f.MustActor(t, viewer.Cookie)
	first, err := f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Limit: 2})
	if err != nil || first.Next == "" {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	other := fixture.NewAccount(t)
	otherPage := func() string {
		seed(t, other, 2, domain.StatusActive)
		p, err := other.Service.List(ctx, other.MustActor(t, other.Owner.Cookie), other.Account.ID, members.ListQuery{Limit: 1})
		if err != nil || p.Next == "" {
			t.Fatalf("other page: %+v %v", p, err)
		}
		return p.Next
	}()
	tests := []struct {
		name  string
		actor domain.Actor
		q     members.ListQuery
		want  string
	}{
		{"without users.view", f.MustActor(t, billing.Cookie), members.ListQuery{}, "missing_permission"},
		{"bad status", actor, members.ListQuery{Status: "pending"}, "invalid_status"},
		{"limit too big", actor, members.ListQuery{Limit: 101}, "invalid_limit"},
		{"query too long", actor, members.ListQuery{Q: strings.Repeat("a", store.MaxSearchLength+1)}, "query_too_long"},
		{"malformed cursor", actor, members.ListQuery{Cursor: "!!!"}, "invalid_cursor"},
		{"another account's cursor", actor, members.ListQuery{Cursor: otherPage}, "invalid_cursor"},
		{"cursor of another status", actor, members.ListQuery{Cursor: first.Next, Status: domain.StatusDeactivated}, "invalid_cursor"},
		{"cursor of another search", actor, members.ListQuery{Cursor: first.Next, Q: "seed"}, "invalid_cursor"},
		{"valid cursor", actor, members.ListQuery{Cursor: first.Next, Limit: 2}, ""},
	}
	for _, tt := range tests {
		_, err := f.Service.List(ctx, tt.actor, f.Account.ID, tt.q)
		if got := code(t, err); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	// A member reads themself without users.view, not others.
	if _, err := f.Service.Get(ctx, f.MustActor(t, billing.Cookie), f.Account.ID, billing.User.ID); err != nil {
		t.Errorf("read self: %v", err)
	}
	if _, err := f.Service.Get(ctx, f.MustActor(t, billing.Cookie), f.Account.ID, viewer.User.ID); code(t, err) != "missing_permission" {
		t.Errorf("read other without users.view: got %v, want missing_permission", err)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	seed(t, f, 60, domain.StatusActive)
	jose := f.Add(t, "José", "Núñez", domain.RoleMember)
	joanna := f.Add(t, "Joanna", "Smith-Jones", domain.RoleMember)
	joe := f.Add(t, "Joe", "Bloggs", domain.RoleMember)
	if _, err := f.Service.SetStatus(ctx, f.MustActor(t, f.Owner.Cookie), f.Account.ID, joe.User.ID, 1, false, ""); err != nil {
		t.Fatal(err)
	}
	actor := f.MustActor(t, f.Owner.Cookie)
	ids := func(items []members.Member) []string {
		var out []string
		for _, m := range items {
			out = append(out, m.UserID)
		}
		slices.Sort(out)
		return out
	}
	sorted := func(s ...string) []string { slices.Sort(s); return s }
	tests := []struct {
		q      string
		status domain.MemberStatus
		want   []string
	}{
		{"jos", "", sorted(jose.User.ID)},
		{"JOSE", "", sorted(jose.User.ID)},
		{"nun", "", sorted(jose.User.ID)},
		{"Núñ", "", sorted(jose.User.ID)},
		{"jo", "", sorted(jose.User.ID, joanna.User.ID)},
		{"jones", "", sorted(joanna.User.ID)},
		{"jo smi", "", sorted(joanna.User.ID)},
		{"jo", domain.StatusDeactivated, sorted(joe.User.ID)},
		{strings.SplitN(joanna.User.Email, "-", 2)[1][:5], "", sorted(joanna.User.ID)}, // the unique part of the email
		{"zzz", "", nil},
	}
	for _, tt := range tests {
		ctx, rec := telemetry.WithRecorder(ctx)
		page, err := f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Q: tt.q, Status: tt.status})
		if err != nil {
			t.Errorf("%q: %v", tt.q, err)
			continue
		}
		if got := ids(page.Items); !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %v, want %v", tt.q, got, tt.want)
		}
		// One query of the index and one batch read of what it found.
		if sum := rec.Summary(); sum.ByOp["Query"] != 1 || sum.ByOp["BatchGetItem"] > 1 {
			t.Errorf("%q: got %v, want one Query and at most one BatchGetItem", tt.q, sum.ByOp)
		}
	}

	// Paging a search: 60 seeded members match "seed", each once.
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		ctx, rec := telemetry.WithRecorder(ctx)
		page, err := f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Q: "Seed", Cursor: cursor, Limit: 25})
		if err != nil {
			t.Fatal(err)
		}
		// Reads about what it returns: each seeded member is found by two
		// words (its first name and its email's domain, seed.example), but
		// only the first match is read, so the membership reads (half a
		// unit each) equal the page, plus the index entries skipped (small:
		// at most a few units).
		sum := rec.Summary()
		if sum.ByOp["BatchGetItem"] != 1 && len(page.Items) > 0 {
			t.Errorf("search page %d: got %v, want one BatchGetItem", pages, sum.ByOp)
		}
		if max := 0.5*float64(len(page.Items)) + 3; sum.RCU > max+0.01 {
			t.Errorf("search page %d: got %v RCU for %d members, want at most %v", pages, sum.RCU, len(page.Items), max)
		}
		for _, m := range page.Items {
			if seen[m.UserID] {
				t.Errorf("search repeats %s", m.UserID)
			}
			seen[m.UserID] = true
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
		if pages > 5 {
			t.Fatal("too many pages")
		}
	}
	if len(seen) != 60 {
		t.Errorf("search pages: got %d members, want 60", len(seen))
	}
}

// TestSearchCountsEachMemberOnce: a member found by several words (name and
// email) appears once, and paging never repeats them.
func TestSearchCountsEachMemberOnce(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	var want []string
	for i := range 7 {
		p := f.Add(t, fmt.Sprintf("Anna%d", i), "Annabel", domain.RoleMember)
		want = append(want, p.User.ID)
	}
	actor := f.MustActor(t, f.Owner.Cookie)
	var got []string
	cursor := ""
	for range 10 {
		page, err := f.Service.List(ctx, actor, f.Account.ID, members.ListQuery{Q: "ann", Cursor: cursor, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Items {
			got = append(got, m.UserID)
		}
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestUnknownMember(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	_, err := f.Service.Get(ctx, f.MustActor(t, f.Owner.Cookie), f.Account.ID, "nobody")
	if got := code(t, err); got != "member_not_found" {
		t.Errorf("got %q, want member_not_found", got)
	}
}

// TestRolesOfAnotherCatalog: with the help pages' roles, a role that may
// not manage members cannot be given users.manage or All, nobody raises
// their own role, and a refusal writes nothing.
func TestRolesOfAnotherCatalog(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../domain/catalogs/help-pages.json")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := domain.ParseCatalog(data)
	if err != nil {
		t.Fatal(err)
	}
	f := fixture.NewAccount(t)
	f.Service = members.NewService(f.Store, cat)
	manager := f.Add(t, "Mae", "Manager", "manager", "users.view", "users.manage", "services.view", "services.manage")
	trusted := f.Add(t, "Tru", "Sted", "trusted", "services.view")
	edit := func(actor, target fixture.Person, e members.Edit) error {
		e.Version = f.Membership(t, target.User.ID).Version
		_, err := f.Service.Update(ctx, f.MustActor(t, actor.Cookie), f.Account.ID, target.User.ID, e)
		return err
	}
	for _, tt := range []struct {
		name   string
		actor  fixture.Person
		target fixture.Person
		edit   members.Edit
		want   string
	}{
		{"trusted given users.manage", f.Owner, trusted, members.Edit{Permissions: perms("users.manage")}, "role_cannot_manage_users"},
		{"trusted given All", f.Owner, trusted, members.Edit{Permissions: &domain.PermissionSet{All: true}}, "role_cannot_manage_users"},
		{"manager made viewer keeping users.manage", f.Owner, manager, members.Edit{Role: ptr("viewer")}, "role_cannot_manage_users"},
		{"manager makes themself admin", manager, manager, members.Edit{Role: ptr("admin")}, "self_escalation"},
		{"the shipped catalog's member role", f.Owner, trusted, members.Edit{Role: ptr("member")}, "invalid_role"},
		{"a blank first name", f.Owner, trusted, members.Edit{FirstName: ptr("  ")}, "invalid_name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := f.Counts(t)
			if got := code(t, edit(tt.actor, tt.target, tt.edit)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if after := f.Counts(t); after != before {
				t.Errorf("items: got %v, want %v (nothing written)", after, before)
			}
		})
	}
	if err := edit(manager, trusted, members.Edit{Role: ptr("viewer"), Permissions: perms("services.view")}); err != nil {
		t.Errorf("manager lowers a trusted member to viewer: %v", err)
	}
	if got, want := f.Membership(t, trusted.User.ID).Role, domain.Role("viewer"); got != want {
		t.Errorf("role: got %q, want %q", got, want)
	}
}

// TestSearchReadsWhatItReturns: on 600 members, every kind of search
// fills its page when enough members match, and reads (index entries and
// memberships) at most twice the members it returns. (With two terms or
// more, each matches the start of a word; a lone term also matches inside
// a name.)
func TestSearchReadsWhatItReturns(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	seedGrid(t, f, 600)
	actor := f.MustActor(t, f.Owner.Cookie)
	tests := []struct {
		name, q   string
		wantItems int
	}{
		{"one word", "hop", 25},
		{"two words", "grace hop", 2}, // Grace·Hopper: i%256 == 34, active unless i%10 == 0
		{"email prefix", "grace.hopper", 2},
		{"fragment", "oppe", 25},
	}
	for _, tt := range tests {
		c, rec := telemetry.WithRecorder(ctx)
		page, err := f.Service.List(c, actor, f.Account.ID, members.ListQuery{Q: tt.q, Limit: 25})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		sum := rec.Summary()
		t.Logf("%-18s %q: %d returned, %d items read, %v, %g RCU", tt.name, tt.q, len(page.Items), sum.Items, sum.ByOp, sum.RCU)
		if len(page.Items) != tt.wantItems {
			t.Errorf("%s: got %d members, want %d", tt.name, len(page.Items), tt.wantItems)
		}
		for _, m := range page.Items {
			if !strings.Contains(strings.ToLower(m.LastName), "hopper") {
				t.Errorf("%s: %s %s does not match", tt.name, m.FirstName, m.LastName)
			}
		}
		if sum.Items > 2*len(page.Items) {
			t.Errorf("%s: read %d items for %d members, want at most twice", tt.name, sum.Items, len(page.Items))
		}
	}
}
