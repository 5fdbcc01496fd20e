package accounthttp

import (
	"context"
	"fmt"
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

// TestCreateAccountCap: a person creates at most CreatePerUser.Max accounts
// a day; the next is 429 with Retry-After and writes nothing; another
// person is not held by it.
func TestCreateAccountCap(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newCreate(e.Auth, accounts.NewService(e.Store))
	u, other := e.User(t, true), e.User(t, true)
	cookie := e.SignIn(t, u)
	for i := range accounts.CreatePerUser.Max {
		if resp := fixture.Call(t, h, fixture.Request(t, "accounts-create.json", map[string]string{"name": fmt.Sprintf("Acme %d", i)}, cookie)); resp.StatusCode != 201 {
			t.Fatalf("account %d: got %d %s", i+1, resp.StatusCode, resp.Body)
		}
	}
	owned := func() int {
		accts, err := e.Store.AccountsOfUser(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(accts)
	}
	before := owned()
	resp := fixture.Call(t, h, fixture.Request(t, "accounts-create.json", map[string]string{"name": "One too many"}, cookie))
	if resp.StatusCode != 429 || fixture.ErrorOf(t, resp).Error.Code != "rate_limited" || resp.Headers["Retry-After"] == "" {
		t.Errorf("past the cap: got %d %s (Retry-After %q), want 429 rate_limited with Retry-After", resp.StatusCode, resp.Body, resp.Headers["Retry-After"])
	}
	if got := owned(); got != before {
		t.Errorf("accounts after the refusal: got %d, want %d", got, before)
	}
	if resp := fixture.Call(t, h, fixture.Request(t, "accounts-create.json", map[string]string{"name": "Theirs"}, e.SignIn(t, other))); resp.StatusCode != 201 {
		t.Errorf("another person: got %d %s, want 201", resp.StatusCode, resp.Body)
	}
}
