package historyhttp

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/history"
	"roster/shared/store"
)

// fixture is an account with an owner, a member holding history.view, a
// member without it, a removed member with history, and events.
type listFixture struct {
	env                     *fixture.Env
	h                       api.HandlerFunc
	acct, other             string
	owner, viewer, plain    domain.User
	cOwner, cViewer, cPlain string
	removedID, foreignUser  string
}

func listSetup(t *testing.T) *listFixture {
	t.Helper()
	ctx := context.Background()
	f := &listFixture{env: fixture.New(t), acct: store.NewID(), other: store.NewID(), removedID: store.NewID()}
	f.h = newList(f.env.Auth, history.NewService(f.env.Store, domain.DefaultCatalog()))
	f.owner, f.viewer, f.plain = f.env.User(t, true), f.env.User(t, true), f.env.User(t, true)
	now := time.Now().UTC()
	mk := func(u domain.User, acct string, role domain.Role, p domain.PermissionSet) domain.Membership {
		return domain.Membership{AccountID: acct, UserID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
			Role: role, Permissions: p, Status: domain.StatusActive, JoinedAt: now}
	}
	for _, acct := range []string{f.acct, f.other} {
		ev := domain.AuditEvent{AccountID: acct, At: now.Add(-time.Hour), Action: domain.ActionAccountCreated,
			Actor: domain.EventActor{UserID: f.owner.ID}, Target: domain.EventTarget{Kind: "account", ID: acct}}
		if err := f.env.Store.CreateAccount(ctx, domain.Account{ID: acct, Name: "Acme", OwnerID: f.owner.ID, CreatedAt: now}, mk(f.owner, acct, domain.RoleOwner, domain.PermissionSet{All: true}), ev, store.Limit{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []domain.Membership{
		mk(f.viewer, f.acct, domain.RoleMember, domain.PermissionSet{Granted: []string{"history.view"}}),
		mk(f.plain, f.acct, domain.RoleMember, domain.PermissionSet{Granted: []string{"users.view"}}),
	} {
		if err := f.env.Store.SeedMembership(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	f.foreignUser = f.viewer.ID // a member of acct, not of other
	var evs []domain.AuditEvent
	for i, target := range []string{f.plain.ID, f.viewer.ID, f.removedID, f.plain.ID, f.plain.ID} {
		action := domain.ActionMemberPermissions
		if target == f.removedID {
			action = domain.ActionMemberRemoved
		}
		evs = append(evs, domain.AuditEvent{ID: fmt.Sprintf("ev%d", i), AccountID: f.acct, At: now.Add(-time.Duration(10-i) * time.Minute),
			Action: action, Actor: domain.EventActor{UserID: f.owner.ID, Name: "Owner"},
			Target: domain.EventTarget{Kind: "member", ID: target, UserID: target},
			Before: map[string]any{"permissions": domain.PermissionSet{Granted: []string{"users.view"}}},
			After:  map[string]any{"permissions": domain.PermissionSet{Granted: []string{"users.view", "billing.view"}}}})
	}
	// An old event, outside 1w.
	evs = append(evs, domain.AuditEvent{ID: "old", AccountID: f.acct, At: now.Add(-10 * 24 * time.Hour), Action: domain.ActionInvitationCreated,
		Actor: domain.EventActor{UserID: f.owner.ID}, Target: domain.EventTarget{Kind: "invitation", ID: "inv1", Email: "x@example.com"}})
	if err := f.env.Store.RecordEvents(ctx, evs...); err != nil {
		t.Fatal(err)
	}
	f.cOwner, f.cViewer, f.cPlain = f.env.SignIn(t, f.owner), f.env.SignIn(t, f.viewer), f.env.SignIn(t, f.plain)
	return f
}

func (f *listFixture) get(t *testing.T, cookie, acct string, q map[string]string) api.Response {
	t.Helper()
	req := fixture.Request(t, "history-list.json", nil, cookie)
	req.PathParameters = map[string]string{"accountId": acct}
	req.QueryStringParameters = q
	return fixture.Call(t, f.h, req)
}

func ids(p history.Page) []string {
	out := []string{}
	for _, it := range p.Items {
		out = append(out, it.ID)
	}
	return out
}

func TestList(t *testing.T) {
	t.Parallel()
	f := listSetup(t)
	tests := []struct {
		name       string
		cookie     string
		acct       string
		q          map[string]string
		wantStatus int
		wantCode   string
		wantIDs    []string
	}{
		{"owner, all", f.cOwner, f.acct, nil, 200, "", nil},
		{"owner, 1w", f.cOwner, f.acct, map[string]string{"period": "1w", "action": "member"}, 200, "", []string{"ev4", "ev3", "ev2", "ev1", "ev0"}},
		{"viewer, invitations", f.cViewer, f.acct, map[string]string{"action": "invitation"}, 200, "", []string{"old"}},
		{"viewer, exact action", f.cViewer, f.acct, map[string]string{"action": "member.removed"}, 200, "", []string{"ev2"}},
		{"viewer, a member", f.cViewer, f.acct, map[string]string{"member": f.plain.ID}, 200, "", []string{"ev4", "ev3", "ev0"}},
		{"viewer, removed member stays readable", f.cViewer, f.acct, map[string]string{"member": f.removedID}, 200, "", []string{"ev2"}},
		{"plain member, own history", f.cPlain, f.acct, map[string]string{"member": f.plain.ID, "limit": "2"}, 200, "", []string{"ev4", "ev3"}},
		{"plain member, account", f.cPlain, f.acct, nil, 403, "missing_permission", nil},
		{"plain member, another member", f.cPlain, f.acct, map[string]string{"member": f.viewer.ID}, 403, "missing_permission", nil},
		{"member of another account", f.cOwner, f.other, map[string]string{"member": f.foreignUser}, 404, "member_not_found", nil},
		{"unknown member", f.cOwner, f.acct, map[string]string{"member": store.NewID()}, 404, "member_not_found", nil},
		{"a member without events in the period", f.cOwner, f.acct, map[string]string{"member": f.viewer.ID, "period": "1w", "action": "invitation"}, 200, "", []string{}},
		{"not a member of the account", f.cViewer, f.other, nil, 404, "account_not_found", nil},
		{"no session", "", f.acct, nil, 401, "unauthenticated", nil},
		{"unknown period", f.cOwner, f.acct, map[string]string{"period": "5y"}, 400, "invalid_period", nil},
		{"unknown action", f.cOwner, f.acct, map[string]string{"action": "member.exploded"}, 400, "invalid_action", nil},
		{"bad limit", f.cOwner, f.acct, map[string]string{"limit": "0"}, 400, "invalid_limit", nil},
		{"malformed cursor", f.cOwner, f.acct, map[string]string{"cursor": "nope"}, 400, "invalid_cursor", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.get(t, tt.cookie, tt.acct, tt.q)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d, want %d (%s)", resp.StatusCode, tt.wantStatus, resp.Body)
			}
			if tt.wantCode != "" {
				if got := fixture.ErrorOf(t, resp).Error.Code; got != tt.wantCode {
					t.Errorf("code: got %q, want %q", got, tt.wantCode)
				}
				return
			}
			var p history.Page
			fixture.Decode(t, resp, &p)
			if tt.wantIDs != nil && !slices.Equal(ids(p), tt.wantIDs) {
				t.Errorf("events: got %v, want %v", ids(p), tt.wantIDs)
			}
		})
	}
}

func TestListItemShape(t *testing.T) {
	t.Parallel()
	f := listSetup(t)
	var p history.Page
	fixture.Decode(t, f.get(t, f.cOwner, f.acct, map[string]string{"member": f.plain.ID, "limit": "1"}), &p)
	if len(p.Items) != 1 {
		t.Fatalf("items: got %d, want 1", len(p.Items))
	}
	it := p.Items[0]
	if want := []string{"Permissions added: Billing: View invoices and payment methods"}; !slices.Equal(it.Changes, want) {
		t.Errorf("changes: got %q, want %q", it.Changes, want)
	}
	if it.Actor.Name != "Owner" || it.Target.UserID != f.plain.ID || it.At == "" || p.Next == "" {
		t.Errorf("item: got %+v next %q, want actor, target, time and a next cursor", it, p.Next)
	}
}

func TestListPaging(t *testing.T) {
	t.Parallel()
	f := listSetup(t)
	// 7 events in acct (ev0..ev4, account.created, old); pages of 3: 3 pages.
	var got []string
	cursor, pages := "", 0
	for {
		q := map[string]string{"limit": "3"}
		if cursor != "" {
			q["cursor"] = cursor
		}
		resp := f.get(t, f.cOwner, f.acct, q)
		if resp.StatusCode != 200 {
			t.Fatalf("page %d: got %d %s", pages+1, resp.StatusCode, resp.Body)
		}
		var p history.Page
		fixture.Decode(t, resp, &p)
		got = append(got, ids(p)...)
		pages++
		if p.Next == "" {
			break
		}
		cursor = p.Next
		if pages == 1 {
			// The cursor is bound to its account, member, period and filter.
			for name, other := range map[string]struct {
				acct string
				q    map[string]string
			}{
				"another account": {f.other, map[string]string{"cursor": cursor}},
				"another period":  {f.acct, map[string]string{"cursor": cursor, "period": "12m"}},
				"another filter":  {f.acct, map[string]string{"cursor": cursor, "action": "member"}},
				"another member":  {f.acct, map[string]string{"cursor": cursor, "member": f.plain.ID}},
			} {
				resp := f.get(t, f.cOwner, other.acct, other.q)
				if resp.StatusCode != 400 || fixture.ErrorOf(t, resp).Error.Code != "invalid_cursor" {
					t.Errorf("cursor in %s: got %d %s, want 400 invalid_cursor", name, resp.StatusCode, resp.Body)
				}
			}
		}
	}
	want := []string{"ev4", "ev3", "ev2", "ev1", "ev0"}
	if pages != 3 || len(got) != 7 || !slices.Equal(got[:5], want) || got[6] != "old" {
		t.Errorf("pages: got %d pages %v, want 3 pages: %v, account.created, old", pages, got, want)
	}
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Errorf("duplicate %s", id)
		}
		seen[id] = true
	}
}
