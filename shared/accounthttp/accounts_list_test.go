package accounthttp

import (
	"context"
	"testing"
	"time"

	"roster/shared/accounts"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/store"
	"roster/shared/telemetry"
)

func TestListAccounts(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newList(e.Auth, accounts.NewService(e.Store))
	u, other := e.User(t, true), e.User(t, true)
	create := func(owner domain.User, name string) string {
		now := time.Now().UTC()
		a := domain.Account{ID: store.NewID(), Name: name, OwnerID: owner.ID, CreatedAt: now}
		m := domain.Membership{AccountID: a.ID, AccountName: name, UserID: owner.ID, Email: owner.Email, Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive, JoinedAt: now}
		ev := domain.AuditEvent{AccountID: a.ID, Action: domain.ActionAccountCreated, Target: domain.EventTarget{Kind: "account", ID: a.ID}}
		if err := e.Store.CreateAccount(context.Background(), a, m, ev, store.Limit{}); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	zulu, alpha := create(u, "zulu"), create(u, "Alpha")
	create(other, "Not mine")
	cookie := e.SignIn(t, u)

	ctx, rec := telemetry.WithRecorder(context.Background())
	resp, err := h(ctx, fixture.Request(t, "accounts-list.json", nil, cookie))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("got %d %v %s, want 200", resp.StatusCode, err, resp.Body)
	}
	var got struct{ Items []accounts.Summary }
	fixture.Decode(t, resp, &got)
	want := []accounts.Summary{{ID: alpha, Name: "Alpha", Role: domain.RoleOwner, Status: domain.StatusActive}, {ID: zulu, Name: "zulu", Role: domain.RoleOwner, Status: domain.StatusActive}}
	if len(got.Items) != 2 || got.Items[0] != want[0] || got.Items[1] != want[1] {
		t.Errorf("items: got %+v, want %+v", got.Items, want)
	}
	// One session read and one index query: the memberships carry the
	// accounts' names.
	if sum := rec.Summary(); sum.Calls != 2 || sum.ByOp["GetItem"] != 1 || sum.ByOp["Query"] != 1 {
		t.Errorf("DynamoDB calls: got %v, want one GetItem and one Query", sum.ByOp)
	}

	resp = fixture.Call(t, h, fixture.Request(t, "accounts-list.json", nil, e.SignIn(t, e.User(t, true))))
	if resp.StatusCode != 200 || resp.Body != `{"items":[]}` {
		t.Errorf("no accounts: got %d %s, want an empty list", resp.StatusCode, resp.Body)
	}
	if resp := fixture.Call(t, h, fixture.Request(t, "accounts-list.json", nil, "")); resp.StatusCode != 401 {
		t.Errorf("signed out: got %d, want 401", resp.StatusCode)
	}
}
