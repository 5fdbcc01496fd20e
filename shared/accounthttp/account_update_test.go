package accounthttp

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"roster/shared/accounts"
	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/namesync"
	"roster/shared/store"
)

func TestRenameAccount(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newRename(e.Auth, accounts.NewService(e.Store))
	list := newList(e.Auth, accounts.NewService(e.Store))
	sync := e.NewStream(t, "names-sync", namesync.NewHandler(e.Store, slog.New(slog.DiscardHandler)))
	ctx := context.Background()
	owner, viewer, stranger := e.User(t, true), e.User(t, true), e.User(t, true)
	now := time.Now().UTC()
	acct := domain.Account{ID: store.NewID(), Name: "Acme", OwnerID: owner.ID, CreatedAt: now}
	om := domain.Membership{AccountID: acct.ID, AccountName: "Acme", UserID: owner.ID, Email: owner.Email, Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive, JoinedAt: now}
	if err := e.Store.CreateAccount(ctx, acct, om, domain.AuditEvent{AccountID: acct.ID, Action: domain.ActionAccountCreated}, store.Limit{}); err != nil {
		t.Fatal(err)
	}
	vm := domain.Membership{AccountID: acct.ID, AccountName: "Acme", UserID: viewer.ID, Email: viewer.Email, Role: domain.RoleMember, Permissions: domain.PermissionSet{Granted: []string{"users.view"}}, JoinedAt: now}
	if err := e.Store.AddMember(ctx, vm, nil); err != nil {
		t.Fatal(err)
	}
	request := func(cookie string, body any) api.Request {
		req := fixture.Request(t, "account-update.json", body, cookie)
		req.PathParameters = map[string]string{"accountId": acct.ID}
		return req
	}
	history := func() int { return e.Count(t, "ACCOUNT#"+acct.ID+"#HISTORY") }
	before := history()

	ownerCookie := e.SignIn(t, owner)
	refusals := []struct {
		name       string
		cookie     string
		body       any
		wantStatus int
		wantCode   string
	}{
		{"empty name", ownerCookie, map[string]any{"name": " ", "version": 1}, 400, "invalid_name"},
		{"overlong name", ownerCookie, map[string]any{"name": strings.Repeat("n", 101), "version": 1}, 400, "invalid_name"},
		{"no version", ownerCookie, map[string]any{"name": "New"}, 400, "missing_version"},
		{"stale version", ownerCookie, map[string]any{"name": "New", "version": 7}, 409, "stale_version"},
		{"without users.manage", e.SignIn(t, viewer), map[string]any{"name": "New", "version": 1}, 403, "missing_permission"},
		{"not a member", e.SignIn(t, stranger), map[string]any{"name": "New", "version": 1}, 404, "account_not_found"},
		{"signed out", "", map[string]any{"name": "New", "version": 1}, 401, "unauthenticated"},
	}
	for _, tt := range refusals {
		resp := fixture.Call(t, h, request(tt.cookie, tt.body))
		if got := fixture.ErrorOf(t, resp).Error.Code; resp.StatusCode != tt.wantStatus || got != tt.wantCode {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, resp.StatusCode, got, tt.wantStatus, tt.wantCode)
		}
	}
	if a, _ := e.Store.GetAccount(ctx, acct.ID); a.Name != "Acme" || a.Version != 1 || history() != before {
		t.Fatalf("refusals changed the account: got %+v and %d events, want Acme v1 and %d", a, history(), before)
	}

	resp := fixture.Call(t, h, request(ownerCookie, map[string]any{"name": " Acme Analytical ", "version": 1}))
	var got domain.Account
	fixture.Decode(t, resp, &got)
	if resp.StatusCode != 200 || got.Name != "Acme Analytical" || got.Version != 2 {
		t.Fatalf("rename: got %d %s, want 200 with the new name at version 2", resp.StatusCode, resp.Body)
	}
	if n := history(); n != before+1 {
		t.Errorf("events: got %d, want %d (one account.renamed)", n, before+1)
	}
	names, err := e.Store.AccountNames(ctx, []string{acct.ID, "unknown"})
	if err != nil || names[acct.ID] != "Acme Analytical" || len(names) != 1 {
		t.Errorf("AccountNames: got %v, %v", names, err)
	}

	// The members' lists of accounts show the new name once names-sync
	// has run on the rename's record; each membership moves on a version,
	// so that an edit from the membership as it was cannot write the old
	// name back.
	listed := func(u domain.User) string {
		var got struct{ Items []accounts.Summary }
		fixture.Decode(t, fixture.Call(t, list, fixture.Request(t, "accounts-list.json", nil, e.SignIn(t, u))), &got)
		if len(got.Items) != 1 {
			t.Fatalf("accounts of %s: got %+v", u.Email, got.Items)
		}
		return got.Items[0].Name
	}
	if got := listed(viewer); got != "Acme" {
		t.Errorf("before the sync: got %q, want the old name", got)
	}
	if failed := sync.Deliver(t); len(failed) != 0 || len(sync.Delivered) != 1 {
		t.Fatalf("sync: %d records, %d failed; want 1 and none", len(sync.Delivered), len(failed))
	}
	for _, u := range []domain.User{owner, viewer} {
		if got := listed(u); got != "Acme Analytical" {
			t.Errorf("accounts of %s after the sync: got %q, want the new name", u.Email, got)
		}
	}
	if m, _ := e.Store.GetMembership(ctx, acct.ID, viewer.ID); m.Version != 2 {
		t.Errorf("viewer's membership: got version %d, want 2", m.Version)
	}
	if failed := sync.Retry(t, sync.Delivered); len(failed) != 0 {
		t.Fatal("a second delivery failed")
	}
	if m, _ := e.Store.GetMembership(ctx, acct.ID, viewer.ID); m.Version != 2 {
		t.Errorf("a second delivery wrote again: version %d", m.Version)
	}
}

func TestGetAccount(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newGet(e.Auth, accounts.NewService(e.Store))
	owner, member, gone, stranger := e.User(t, true), e.User(t, true), e.User(t, true), e.User(t, true)
	acct := e.AccountOf(t, owner, "Acme")
	e.AddMember(t, acct, member, domain.RoleMember, domain.StatusActive)
	e.AddMember(t, acct, gone, domain.RoleMember, domain.StatusDeactivated)
	request := func(cookie string) api.Request {
		req := fixture.Request(t, "account-get.json", nil, cookie)
		req.PathParameters = map[string]string{"accountId": acct.ID}
		return req
	}
	for _, tt := range []struct {
		name       string
		cookie     string
		wantStatus int
		wantCode   string
	}{
		{"a member without permissions", e.SignIn(t, member), 200, ""},
		{"the owner", e.SignIn(t, owner), 200, ""},
		{"a deactivated member", e.SignIn(t, gone), 403, "member_deactivated"},
		{"not a member", e.SignIn(t, stranger), 404, "account_not_found"},
		{"signed out", "", 401, "unauthenticated"},
	} {
		resp := fixture.Call(t, h, request(tt.cookie))
		if tt.wantStatus == 200 {
			var got domain.Account
			fixture.Decode(t, resp, &got)
			if resp.StatusCode != 200 || got.ID != acct.ID || got.Name != "Acme" || got.Version != 1 {
				t.Errorf("%s: got %d %s, want the account at version 1", tt.name, resp.StatusCode, resp.Body)
			}
			continue
		}
		if got := fixture.ErrorOf(t, resp).Error.Code; resp.StatusCode != tt.wantStatus || got != tt.wantCode {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, resp.StatusCode, got, tt.wantStatus, tt.wantCode)
		}
	}
}
