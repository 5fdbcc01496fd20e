package memberhttp

import (
	"testing"

	"roster/shared/domain"
	"roster/shared/fixture"
)

func TestOwnership(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	h := newOwnership(f.Auth, f.Service)
	heir := f.Add(t, "Heir", "Apparent", domain.RoleAdmin, "users.view")
	body := func(password string, version int64) map[string]any {
		return map[string]any{"userId": heir.User.ID, "password": password, "version": version}
	}
	tests := []struct {
		name   string
		cookie string
		body   any
		status int
		code   string
	}{
		{"by an admin", heir.Cookie, body(fixture.Password, 1), 403, "owner_only"},
		{"wrong password", f.Owner.Cookie, body("not it", 1), 403, "wrong_password"},
		{"stale", f.Owner.Cookie, body(fixture.Password, 4), 409, "stale_version"},
		{"no user", f.Owner.Cookie, `{"password":"x","version":1}`, 400, "invalid_user"},
		{"handover", f.Owner.Cookie, body(fixture.Password, 1), 200, ""},
		{"the old owner again", f.Owner.Cookie, body(fixture.Password, 2), 403, "owner_only"},
	}
	for _, tt := range tests {
		before := f.Counts(t)
		status, resp := fixture.Wrapped(t, "member-ownership", h, f.Event(t, "member-ownership.json", tt.cookie, "", tt.body))
		if status != tt.status || fixture.CodeOf(resp) != tt.code {
			t.Errorf("%s: got %d %s, want %d %q", tt.name, status, resp, tt.status, tt.code)
		}
		if after := f.Counts(t); status != 200 && after != before {
			t.Errorf("%s: items got %v, want %v", tt.name, after, before)
		}
	}
	if m := f.Membership(t, heir.User.ID); m.Role != domain.RoleOwner {
		t.Errorf("heir: got %s, want owner", m.Role)
	}
	if m := f.Membership(t, f.Owner.User.ID); m.Role != domain.RoleAdmin || !m.Permissions.All {
		t.Errorf("old owner: got %s %+v, want admin with All", m.Role, m.Permissions)
	}
}
