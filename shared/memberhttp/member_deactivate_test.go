package memberhttp

import (
	"testing"

	"roster/shared/domain"
	"roster/shared/fixture"
)

func TestDeactivate(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	h := newSetStatus(f.Auth, f.Service, false)
	admin := f.Add(t, "Ada", "Admin", domain.RoleAdmin, "users.view", "users.manage")
	target := f.Add(t, "Dee", "Activated", domain.RoleMember, "users.view")
	tests := []struct {
		name           string
		cookie, target string
		body           any
		status         int
		code           string
	}{
		{"no body", admin.Cookie, target.User.ID, " ", 400, "missing_version"},
		{"the owner", admin.Cookie, f.Owner.User.ID, `{"version":1}`, 403, "owner_protected"},
		{"by a viewer", target.Cookie, admin.User.ID, `{"version":1}`, 403, "missing_permission"},
		{"stale", admin.Cookie, target.User.ID, `{"version":3}`, 409, "stale_version"},
		{"the member", admin.Cookie, target.User.ID, `{"version":1}`, 200, ""},
		{"the member's next request", target.Cookie, admin.User.ID, `{"version":1}`, 403, "member_deactivated"},
	}
	for _, tt := range tests {
		status, body := fixture.Wrapped(t, "member-deactivate", h, f.Event(t, "member-deactivate.json", tt.cookie, tt.target, tt.body))
		if status != tt.status || fixture.CodeOf(body) != tt.code {
			t.Errorf("%s: got %d %s, want %d %q", tt.name, status, body, tt.status, tt.code)
		}
	}
	if m := f.Membership(t, target.User.ID); m.Status != domain.StatusDeactivated || m.Role != domain.RoleMember || !m.Permissions.Allows("users.view") {
		t.Errorf("deactivated: got %+v, want deactivated keeping role and permissions", m)
	}
}
