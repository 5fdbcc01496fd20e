package memberhttp

import (
	"testing"

	"roster/shared/domain"
	"roster/shared/fixture"
)

func TestRemove(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	h := newRemove(f.Auth, f.Service)
	admin := f.Add(t, "Ada", "Admin", domain.RoleAdmin, "users.view", "users.manage")
	target := f.Add(t, "Rem", "Oved", domain.RoleMember, "users.view")
	query := func(v string) map[string]string {
		if v == "" {
			return map[string]string{}
		}
		return map[string]string{"version": v}
	}
	tests := []struct {
		name           string
		cookie, target string
		query          map[string]string
		body           any
		status         int
		code           string
	}{
		{"no version", admin.Cookie, target.User.ID, query(""), " ", 400, "missing_version"},
		{"bad version", admin.Cookie, target.User.ID, query("x"), nil, 400, "missing_version"},
		{"the owner", admin.Cookie, f.Owner.User.ID, query("1"), nil, 403, "owner_protected"},
		{"stale", admin.Cookie, target.User.ID, query("2"), nil, 409, "stale_version"},
		{"version in the body", admin.Cookie, target.User.ID, query(""), `{"version":1}`, 204, ""},
		{"the member's next request", target.Cookie, target.User.ID, query("1"), nil, 404, "account_not_found"},
	}
	for _, tt := range tests {
		before := f.Counts(t)
		req := f.Event(t, "member-remove.json", tt.cookie, tt.target, tt.body)
		req.QueryStringParameters = tt.query
		status, body := fixture.Wrapped(t, "member-remove", h, req)
		if status != tt.status || fixture.CodeOf(body) != tt.code {
			t.Errorf("%s: got %d %s, want %d %q", tt.name, status, body, tt.status, tt.code)
		}
		if after := f.Counts(t); status != 204 && after != before {
			t.Errorf("%s: items got %v, want %v", tt.name, after, before)
		}
	}
	if _, err := f.Store.GetUser(t.Context(), target.User.ID); err != nil {
		t.Errorf("the removed member's login: %v", err)
	}
}
