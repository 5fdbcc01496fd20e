package identityhttp

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"strings"
	"testing"
	"time"

	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/namesync"
	"roster/shared/store"
	"roster/shared/telemetry"
)

func TestUpdate(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newUpdateMe(e.Auth, identity.NewService(e.Store))
	u, unverified := e.User(t, true), e.User(t, false)
	cookie := e.SignIn(t, u)

	refusals := []struct {
		name       string
		cookie     string
		body       any
		wantStatus int
		wantCode   string
		wantField  string
	}{
		{"empty first name", cookie, map[string]any{"firstName": " "}, 400, "invalid_name", "firstName"},
		{"overlong last name", cookie, map[string]any{"lastName": strings.Repeat("é", 101)}, 400, "invalid_name", "lastName"},
		{"nothing to change", cookie, map[string]any{}, 400, "empty_change", ""},
		{"the email is not editable", cookie, map[string]any{"email": "x@example.com"}, 400, "unknown_field", "email"},
		{"wrong type", cookie, map[string]any{"firstName": 1}, 400, "invalid_body", "firstName"},
		{"unverified", e.SignIn(t, unverified), map[string]any{"firstName": "Eve"}, 403, "email_unverified", ""},
		{"signed out", "", map[string]any{"firstName": "Eve"}, 401, "unauthenticated", ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			resp := fixture.Call(t, h, fixture.Request(t, "me-update.json", tt.body, tt.cookie))
			b := fixture.ErrorOf(t, resp)
			if resp.StatusCode != tt.wantStatus || b.Error.Code != tt.wantCode || b.Error.Field != tt.wantField {
				t.Errorf("got %d %+v, want %d %s on %q", resp.StatusCode, b.Error, tt.wantStatus, tt.wantCode, tt.wantField)
			}
		})
	}
	if got := e.GetUser(t, u.ID); got.Version != u.Version {
		t.Fatalf("version after refusals: got %d, want %d", got.Version, u.Version)
	}
	if got := e.GetUser(t, unverified.ID); got.FirstName != "Ada" {
		t.Fatalf("unverified user's name changed")
	}

	resp := fixture.Call(t, h, fixture.Request(t, "me-update.json", map[string]any{"lastName": "  King "}, cookie))
	var p domain.Profile
	fixture.Decode(t, resp, &p)
	if resp.StatusCode != 200 || p.FirstName != "Ada" || p.LastName != "King" {
		t.Fatalf("got %d %+v, want Ada King", resp.StatusCode, p)
	}
	if got := e.GetUser(t, u.ID); got.LastName != "King" || got.FirstName != "Ada" {
		t.Errorf("stored: got %s %s, want Ada King", got.FirstName, got.LastName)
	}
}

// memberOf adds u to n new accounts as a member and returns their ids.
func memberOf(t *testing.T, e *fixture.Env, u domain.User, n int) []string {
	t.Helper()
	ctx := context.Background()
	var accounts []string
	for i := range n {
		a := domain.Account{ID: store.NewID(), Name: fmt.Sprintf("Account %d", i), OwnerID: "someone", CreatedAt: time.Now()}
		owner := domain.Membership{AccountID: a.ID, UserID: "someone", Email: "o@example.com", Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive}
		if err := e.Store.CreateAccount(ctx, a, owner, domain.AuditEvent{AccountID: a.ID, Action: domain.ActionAccountCreated}, store.Limit{}); err != nil {
			t.Fatal(err)
		}
		m := domain.Membership{AccountID: a.ID, AccountName: a.Name, UserID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, Role: domain.RoleMember, Permissions: domain.PermissionSet{Granted: []string{"users.view"}}}
		if err := e.Store.AddMember(ctx, m, nil); err != nil {
			t.Fatal(err)
		}
		accounts = append(accounts, a.ID)
	}
	return accounts
}

// TestRenameReachesMemberships: the request renames the login only; the
// names-sync function, on the stream, then shows the new name in every
// account's member list and search, with each account's
// member.profile_changed event, once however often the record comes.
func TestRenameReachesMemberships(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newUpdateMe(e.Auth, identity.NewService(e.Store))
	sync := e.NewStream(t, "names-sync", namesync.NewHandler(e.Store, slog.New(slog.DiscardHandler)))
	ctx := context.Background()
	u := e.User(t, true)
	accounts := memberOf(t, e, u, 2)
	before := map[string]int{}
	for _, id := range accounts {
		before[id] = e.Count(t, "ACCOUNT#"+id+"#HISTORY")
	}

	resp := fixture.Call(t, h, fixture.Request(t, "me-update.json", map[string]any{"firstName": "Grace", "lastName": "Hopper"}, e.SignIn(t, u)))
	if resp.StatusCode != 200 {
		t.Fatalf("rename: got %d %s", resp.StatusCode, resp.Body)
	}
	for _, id := range accounts {
		if m, err := e.Store.GetMembership(ctx, id, u.ID); err != nil || m.Version != 1 {
			t.Errorf("membership in %s before the sync: got %+v, %v; want it untouched by the request", id, m, err)
		}
	}
	if failed := sync.Deliver(t); len(failed) != 0 {
		t.Fatalf("sync failed %d records", len(failed))
	}
	if len(sync.Delivered) != 1 {
		t.Errorf("the filter let %d records through, want the rename's one", len(sync.Delivered))
	}
	if failed := sync.Retry(t, sync.Delivered); len(failed) != 0 { // delivered twice
		t.Fatalf("sync failed %d records the second time", len(failed))
	}
	for _, id := range accounts {
		m, err := e.Store.GetMembership(ctx, id, u.ID)
		if err != nil || m.FirstName != "Grace" || m.LastName != "Hopper" || m.Version != 2 {
			t.Errorf("membership in %s: got %+v, %v; want Grace Hopper at version 2", id, m, err)
		}
		if n := e.Count(t, "ACCOUNT#"+id+"#HISTORY"); n != before[id]+1 {
			t.Errorf("history of %s: got %d events, want %d", id, n, before[id]+1)
		}
		page, err := e.Store.SearchMembers(ctx, id, domain.StatusActive, []string{"hop"}, "", 10)
		if err != nil || len(page.Items) != 1 || page.Items[0].UserID != u.ID {
			t.Errorf("search for the new name in %s: got %+v, %v", id, page.Items, err)
		}
		if page, _ := e.Store.SearchMembers(ctx, id, domain.StatusActive, []string{strings.ToLower(u.LastName)}, "", 10); len(page.Items) != 0 {
			t.Errorf("the old name is still found in %s: %+v", id, page.Items)
		}
	}
}

// TestRenameCostIsFlat: renaming oneself costs the same DynamoDB calls and
// capacity in 1 account as in 50.
func TestRenameCostIsFlat(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newUpdateMe(e.Auth, identity.NewService(e.Store))
	var costs []telemetry.Summary
	for _, n := range []int{1, 50} {
		u := e.User(t, true)
		memberOf(t, e, u, n)
		resp, cost := fixture.CallCost(t, h, fixture.Request(t, "me-update.json", map[string]any{"firstName": "Grace", "lastName": "Hopper"}, e.SignIn(t, u)))
		if resp.StatusCode != 200 {
			t.Fatalf("rename: got %d %s", resp.StatusCode, resp.Body)
		}
		t.Logf("in %d accounts: %v, %g RCU, %g WCU", n, cost.ByOp, cost.RCU, cost.WCU)
		costs = append(costs, cost)
	}
	if got, want := costs[1], costs[0]; !maps.Equal(got.ByOp, want.ByOp) || got.RCU != want.RCU || got.WCU != want.WCU {
		t.Errorf("in 50 accounts: got %v %g RCU %g WCU, want %v %g RCU %g WCU as in 1", got.ByOp, got.RCU, got.WCU, want.ByOp, want.RCU, want.WCU)
	}
}
