package domain

import "testing"

func perms(names ...string) PermissionSet { return PermissionSet{Granted: names} }

var allPerms = PermissionSet{All: true}

func actor(id string, role Role, p PermissionSet) Actor {
	return Actor{UserID: id, Role: role, Status: StatusActive, Permissions: p}
}

func TestCheckGrant(t *testing.T) {
	owner := actor("owner", RoleOwner, PermissionSet{})
	fullAdmin := actor("admin", RoleAdmin, allPerms)
	limitedAdmin := actor("limited", RoleAdmin, perms("users.view", "users.manage", "billing.view"))
	viewer := actor("viewer", RoleMember, perms("users.view"))
	deactivated := fullAdmin
	deactivated.Status = StatusDeactivated

	tests := []struct {
		name     string
		actor    Actor
		change   Change
		wantCode string // "" means allowed
	}{
		{"owner invites admin with all", owner, Change{NewRole: RoleAdmin, NewPermissions: allPerms}, ""},
		{"full admin invites member", fullAdmin, Change{NewRole: RoleMember, NewPermissions: perms("billing.view")}, ""},
		{"limited admin grants within itself", limitedAdmin, Change{NewRole: RoleMember, NewPermissions: perms("billing.view", "users.view")}, ""},
		{"limited admin grants beyond itself", limitedAdmin, Change{NewRole: RoleMember, NewPermissions: perms("billing.manage")}, "grant_exceeds_actor"},
		{"limited admin grants all", limitedAdmin, Change{NewRole: RoleAdmin, NewPermissions: allPerms}, "grant_all"},
		{"viewer cannot invite", viewer, Change{NewRole: RoleMember, NewPermissions: perms()}, "missing_permission"},
		{"deactivated admin holds nothing", deactivated, Change{NewRole: RoleMember, NewPermissions: perms()}, "missing_permission"},
		{"owner role is never granted", owner, Change{NewRole: RoleOwner, NewPermissions: allPerms}, "owner_role"},
		{"admin edits owner", fullAdmin, Change{TargetUserID: "owner", HasCurrent: true, CurrentRole: RoleOwner, CurrentStatus: StatusActive, CurrentPerms: allPerms, NewRole: RoleAdmin, NewPermissions: perms()}, "owner_protected"},
		{"owner edits own role", owner, Change{TargetUserID: "owner", HasCurrent: true, CurrentRole: RoleOwner, CurrentPerms: allPerms, NewRole: RoleAdmin, NewPermissions: allPerms}, "owner_protected"},
		{"limited admin edits a richer member", limitedAdmin, Change{TargetUserID: "x", HasCurrent: true, CurrentRole: RoleMember, CurrentPerms: perms("billing.manage"), NewRole: RoleMember, NewPermissions: perms()}, "target_exceeds_actor"},
		{"limited admin edits a richer admin", limitedAdmin, Change{TargetUserID: "x", HasCurrent: true, CurrentRole: RoleAdmin, CurrentPerms: allPerms, NewRole: RoleAdmin, NewPermissions: perms("users.view")}, "target_exceeds_actor"},
		{"self raise permissions", limitedAdmin, Change{TargetUserID: "limited", HasCurrent: true, CurrentRole: RoleAdmin, CurrentPerms: limitedAdmin.Permissions, NewRole: RoleAdmin, NewPermissions: perms("users.view", "users.manage", "billing.view", "billing.manage")}, "self_escalation"},
		{"self lower permissions", limitedAdmin, Change{TargetUserID: "limited", HasCurrent: true, CurrentRole: RoleAdmin, CurrentPerms: limitedAdmin.Permissions, NewRole: RoleAdmin, NewPermissions: perms("users.view", "users.manage")}, ""},
		{"role change of a deactivated member", fullAdmin, Change{TargetUserID: "x", HasCurrent: true, CurrentRole: RoleMember, CurrentStatus: StatusDeactivated, CurrentPerms: perms(), NewRole: RoleAdmin, NewPermissions: perms()}, "member_not_active"},
		{"permissions of a deactivated member", fullAdmin, Change{TargetUserID: "x", HasCurrent: true, CurrentRole: RoleMember, CurrentStatus: StatusDeactivated, CurrentPerms: perms(), NewRole: RoleMember, NewPermissions: perms("billing.view")}, ""},
		{"member with users.manage promotes self to admin", actor("m", RoleMember, perms("users.manage", "users.view")), Change{TargetUserID: "m", HasCurrent: true, CurrentRole: RoleMember, CurrentPerms: perms("users.manage", "users.view"), NewRole: RoleAdmin, NewPermissions: perms("users.manage", "users.view")}, "self_escalation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := DefaultCatalog().CheckGrant(tt.actor, tt.change)
			got := ""
			if e := AsError(err); e != nil {
				got = e.Code
				if e.Kind != EForbidden {
					t.Errorf("kind: got %q, want forbidden", e.Kind)
				}
			} else if err != nil {
				t.Fatalf("got a non-domain error %v", err)
			}
			if got != tt.wantCode {
				t.Errorf("got %q, want %q", got, tt.wantCode)
			}
		})
	}
}

func TestCheckManage(t *testing.T) {
	limited := actor("limited", RoleAdmin, perms("users.manage", "users.view"))
	tests := []struct {
		name     string
		actor    Actor
		role     Role
		target   PermissionSet
		wantCode string
	}{
		{"deactivate a member within", limited, RoleMember, perms("users.view"), ""},
		{"deactivate the owner", actor("a", RoleAdmin, allPerms), RoleOwner, allPerms, "owner_protected"},
		{"deactivate a richer member", limited, RoleMember, perms("billing.view"), "target_exceeds_actor"},
		{"without users.manage", actor("v", RoleMember, perms("users.view")), RoleMember, perms(), "missing_permission"},
	}
	for _, tt := range tests {
		err := CheckManage(tt.actor, tt.role, tt.target)
		got := ""
		if e := AsError(err); e != nil {
			got = e.Code
		}
		if got != tt.wantCode {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.wantCode)
		}
	}
}

func TestPermissionSets(t *testing.T) {
	c := DefaultCatalog()
	got, err := c.Normalize(perms("billing.manage", "users.view", "billing.manage"))
	if err != nil {
		t.Fatal(err)
	}
	if want := perms("billing.manage", "billing.view", "users.view"); !got.Equal(want) || len(got.Granted) != 3 {
		t.Errorf("Normalize: got %v, want %v (manage implies view, deduplicated)", got.Granted, want.Granted)
	}
	for _, bad := range []PermissionSet{perms("billing.delete"), {All: true, Granted: []string{"billing.view"}}} {
		if _, err := c.Normalize(bad); err == nil {
			t.Errorf("Normalize(%v): got nil, want an error", bad)
		}
	}
	added, removed := perms("a", "b").Diff(perms("b", "c"))
	if len(added) != 1 || added[0] != "c" || len(removed) != 1 || removed[0] != "a" {
		t.Errorf("Diff: got +%v -%v, want +[c] -[a]", added, removed)
	}
	if !perms("a").Within(allPerms) || allPerms.Within(perms("a")) {
		t.Error("Within: All contains every set and only All contains All")
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want, code string }{
		{"Ada@Example.COM", "ada@example.com", ""},
		{"  ada@example.com ", "ada@example.com", ""},
		{"ａｄａ@example.com", "ada@example.com", ""}, // fullwidth letters fold under NFKC
		{"", "", "invalid_email"},
		{"ada", "", "invalid_email"},
		{"ada@localhost", "", "invalid_email"},
		{"Ada <ada@example.com>", "", "invalid_email"},
		{string(make([]byte, 300)) + "@example.com", "", "invalid_email"},
	}
	for _, tt := range tests {
		got, err := NormalizeEmail(tt.in)
		code := ""
		if e := AsError(err); e != nil {
			code = e.Code
		}
		if got != tt.want || code != tt.code {
			t.Errorf("NormalizeEmail(%q): got %q, %q; want %q, %q", tt.in, got, code, tt.want, tt.code)
		}
	}
}
