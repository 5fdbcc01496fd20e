package identityhttp

import (
	"context"
	"strings"
	"testing"
	"time"

	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/store"
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

// TestRenameReachesMemberships: the new name shows in every account's member
// list and search, each account gets its member.profile_changed event, and
// an account the user was removed from is untouched.
func TestRenameReachesMemberships(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newUpdateMe(e.Auth, identity.NewService(e.Store))
	ctx := context.Background()
	u := e.User(t, true)
	var accounts []string
	for _, name := range []string{"One", "Two"} {
		a := domain.Account{ID: store.NewID(), Name: name, OwnerID: "someone", CreatedAt: time.Now()}
		owner := domain.Membership{AccountID: a.ID, UserID: "someone", Email: "o@example.com", Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive}
		if err := e.Store.CreateAccount(ctx, a, owner, domain.AuditEvent{AccountID: a.ID, Action: domain.ActionAccountCreated}, store.Limit{}); err != nil {
			t.Fatal(err)
		}
		m := domain.Membership{AccountID: a.ID, UserID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, Role: domain.RoleMember, Permissions: domain.PermissionSet{Granted: []string{"users.view"}}}
		if err := e.Store.AddMember(ctx, m, nil); err != nil {
			t.Fatal(err)
		}
		accounts = append(accounts, a.ID)
	}
	before := map[string]int{}
	for _, id := range accounts {
		before[id] = e.Count(t, "ACCOUNT#"+id+"#HISTORY")
	}

	resp := fixture.Call(t, h, fixture.Request(t, "me-update.json", map[string]any{"firstName": "Grace", "lastName": "Hopper"}, e.SignIn(t, u)))
	if resp.StatusCode != 200 {
		t.Fatalf("rename: got %d %s", resp.StatusCode, resp.Body)
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
