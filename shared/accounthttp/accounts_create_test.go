package accounthttp

import (
	"context"
	"strings"
	"testing"

	"roster/shared/accounts"
	"roster/shared/domain"
	"roster/shared/fixture"
)

func TestCreateAccount(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newCreate(e.Auth, accounts.NewService(e.Store))
	u, unverified := e.User(t, true), e.User(t, false)
	cookie := e.SignIn(t, u)

	refusals := []struct {
		name       string
		cookie     string
		body       any
		wantStatus int
		wantCode   string
	}{
		{"no name", cookie, map[string]string{"name": "  "}, 400, "invalid_name"},
		{"overlong name", cookie, map[string]string{"name": strings.Repeat("n", domain.MaxAccountNameLength+1)}, 400, "invalid_name"},
		{"control characters", cookie, map[string]string{"name": "a\nb"}, 400, "invalid_name"},
		{"unknown field", cookie, map[string]string{"name": "x", "ownerId": u.ID}, 400, "unknown_field"},
		{"unverified", e.SignIn(t, unverified), map[string]string{"name": "Acme"}, 403, "email_unverified"},
		{"signed out", "", map[string]string{"name": "Acme"}, 401, "unauthenticated"},
	}
	for _, tt := range refusals {
		resp := fixture.Call(t, h, fixture.Request(t, "accounts-create.json", tt.body, tt.cookie))
		if got := fixture.ErrorOf(t, resp).Error.Code; resp.StatusCode != tt.wantStatus || got != tt.wantCode {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, resp.StatusCode, got, tt.wantStatus, tt.wantCode)
		}
	}
	for _, id := range []string{u.ID, unverified.ID} {
		if n := e.CountGSI1(t, "USER#"+id); n != 0 {
			t.Fatalf("memberships written by refusals: %d", n)
		}
	}

	resp := fixture.Call(t, h, fixture.Request(t, "accounts-create.json", map[string]string{"name": " Analytical Engines "}, cookie))
	var got struct{ ID, Name, Role string }
	fixture.Decode(t, resp, &got)
	if resp.StatusCode != 201 || got.ID == "" || got.Name != "Analytical Engines" || got.Role != "owner" {
		t.Fatalf("got %d %s, want 201 with the owner role", resp.StatusCode, resp.Body)
	}
	// Account, owner membership and the account.created event, together.
	if n := e.Count(t, "ACCOUNT#"+got.ID); n != 2 {
		t.Errorf("account items: got %d, want 2 (account and membership)", n)
	}
	if n := e.Count(t, "ACCOUNT#"+got.ID+"#HISTORY"); n != 1 {
		t.Errorf("history events: got %d, want 1", n)
	}
	m, err := e.Store.GetMembership(context.Background(), got.ID, u.ID)
	if err != nil || m.Role != domain.RoleOwner || m.Status != domain.StatusActive || !m.Effective().All || m.Email != u.Email {
		t.Errorf("membership: got %+v, %v", m, err)
	}
}
