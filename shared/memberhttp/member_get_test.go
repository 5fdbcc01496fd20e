package memberhttp

import (
	"encoding/json"
	"testing"

	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/members"
	"roster/shared/store"
)

func TestGetMember(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	h := newGet(f.Auth, f.Service)
	viewer := f.Add(t, "Vi", "Ewer", domain.RoleMember, "users.view")
	plain := f.Add(t, "Pat", "Plain", domain.RoleMember, "billing.view")
	tests := []struct {
		name           string
		cookie, target string
		status         int
		code           string
	}{
		{"viewer reads a member", viewer.Cookie, plain.User.ID, 200, ""},
		{"member reads themself", plain.Cookie, plain.User.ID, 200, ""},
		{"member reads another", plain.Cookie, viewer.User.ID, 403, "missing_permission"},
		{"unknown member", viewer.Cookie, store.NewID(), 404, "member_not_found"},
		{"signed out", "", plain.User.ID, 401, "unauthenticated"},
	}
	for _, tt := range tests {
		status, body := fixture.Wrapped(t, "member-get", h, f.Event(t, "member-get.json", tt.cookie, tt.target, nil))
		if status != tt.status || fixture.CodeOf(body) != tt.code {
			t.Errorf("%s: got %d %s, want %d %q", tt.name, status, body, tt.status, tt.code)
			continue
		}
		if status == 200 {
			var m members.Member
			if err := json.Unmarshal([]byte(body), &m); err != nil || m.UserID != tt.target || m.Email == "" || m.Version != 1 {
				t.Errorf("%s: got %s", tt.name, body)
			}
		}
	}
	// The owner is shown with All.
	_, body := fixture.Wrapped(t, "member-get", h, f.Event(t, "member-get.json", viewer.Cookie, f.Owner.User.ID, nil))
	var owner members.Member
	_ = json.Unmarshal([]byte(body), &owner)
	if owner.Role != domain.RoleOwner || !owner.Permissions.All {
		t.Errorf("owner: got %s, want owner with All", body)
	}
}
