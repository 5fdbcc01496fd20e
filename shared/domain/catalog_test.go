package domain

import (
	"os"
	"strings"
	"testing"
)

func helpPagesCatalog(t *testing.T) *Catalog {
	t.Helper()
	data, err := os.ReadFile("catalogs/help-pages.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCatalog(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func roleIDs(c *Catalog) string {
	var ids []string
	for _, r := range c.Roles {
		ids = append(ids, string(r.ID))
	}
	return strings.Join(ids, ",")
}

func TestShippedCatalogKeepsTodaysRoles(t *testing.T) {
	c := DefaultCatalog()
	if got, want := roleIDs(c), "owner,admin,member"; got != want {
		t.Errorf("roles: got %s, want %s", got, want)
	}
	for _, r := range c.Roles {
		if !r.ManageUsers {
			t.Errorf("%s may not manage members; today every role may", r.ID)
		}
	}
	if got, want := len(c.Presets), 3; got != want {
		t.Errorf("presets: got %d, want %d", got, want)
	}
}

func TestHelpPagesCatalog(t *testing.T) {
	c := helpPagesCatalog(t)
	if got, want := roleIDs(c), "owner,admin,manager,trusted,viewer"; got != want {
		t.Errorf("roles: got %s, want %s", got, want)
	}
	var presets []string
	for _, p := range c.Presets {
		presets = append(presets, p.ID+"="+string(p.Role))
	}
	if got, want := strings.Join(presets, ","), "admin=admin,manager=manager,trusted=trusted,viewer=viewer"; got != want {
		t.Errorf("presets come from the roles: got %s, want %s", got, want)
	}

	for _, tt := range []struct {
		role     string
		wantCode string
	}{
		{"admin", ""}, {"manager", ""}, {"trusted", ""}, {"viewer", ""},
		{"owner", "invalid_role"}, {"member", "invalid_role"}, {"Viewer", "invalid_role"}, {"", "invalid_role"},
	} {
		_, err := c.AssignableRole(tt.role)
		if got := codeOf(err); got != tt.wantCode {
			t.Errorf("AssignableRole(%q): got %q, want %q", tt.role, got, tt.wantCode)
		}
	}

	for _, tt := range []struct {
		role     Role
		perms    PermissionSet
		wantCode string
	}{
		{"manager", perms("users.manage", "users.view"), ""},
		{"admin", allPerms, ""},
		{"trusted", perms("services.manage", "users.view"), ""},
		{"trusted", perms("users.manage", "users.view"), "role_cannot_manage_users"},
		{"viewer", allPerms, "role_cannot_manage_users"},
		{"retired", perms("users.manage"), ""}, // a role the file no longer names is not checked
	} {
		err := c.CheckRoleHolds(tt.role, tt.perms)
		if got := codeOf(err); got != tt.wantCode {
			t.Errorf("CheckRoleHolds(%s, %v): got %q, want %q", tt.role, tt.perms, got, tt.wantCode)
		}
	}

	manager := actor("m", "manager", perms("users.manage", "users.view", "services.view"))
	for _, tt := range []struct {
		name     string
		change   Change
		wantCode string
	}{
		{"manager makes themself admin", Change{TargetUserID: "m", HasCurrent: true, CurrentRole: "manager", CurrentPerms: manager.Permissions, NewRole: "admin", NewPermissions: manager.Permissions}, "self_escalation"},
		{"manager makes themself viewer", Change{TargetUserID: "m", HasCurrent: true, CurrentRole: "manager", CurrentPerms: manager.Permissions, NewRole: "viewer", NewPermissions: perms("users.view")}, ""},
		{"manager invites a trusted member", Change{NewRole: "trusted", NewPermissions: perms("services.view")}, ""},
		{"manager raises a viewer to manager", Change{TargetUserID: "v", HasCurrent: true, CurrentRole: "viewer", CurrentStatus: StatusActive, CurrentPerms: perms("users.view"), NewRole: "manager", NewPermissions: perms("users.view")}, ""},
	} {
		err := c.CheckGrant(manager, tt.change)
		if got := codeOf(err); got != tt.wantCode {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.wantCode)
		}
	}
}

func codeOf(err error) string {
	if e := AsError(err); e != nil {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestParseCatalogRefuses(t *testing.T) {
	area := `"areas": [{"id": "users", "label": "Users", "permissions": [
		{"name": "users.view", "label": "View", "description": "See."},
		{"name": "users.manage", "label": "Manage", "description": "Change."}]}]`
	owner := `{"id": "owner", "label": "Owner", "description": "d", "manageUsers": true, "permissions": {"all": true}}`
	admin := `{"id": "admin", "label": "Admin", "description": "d", "manageUsers": true, "permissions": {"all": true}}`
	doc := func(roles string, rest ...string) string {
		s := `{"roles": [` + roles + `], ` + area
		for _, r := range rest {
			s += ", " + r
		}
		return s + "}"
	}
	if _, err := ParseCatalog([]byte(doc(owner + "," + admin))); err != nil {
		t.Fatalf("the smallest catalog: %v", err)
	}
	for _, tt := range []struct{ name, doc, want string }{
		{"no roles", `{` + area + `}`, "start with owner and admin"},
		{"admin first", doc(admin + "," + owner), "start with owner and admin"},
		{"role twice", doc(owner + "," + admin + "," + admin), `"admin" twice`},
		{"bad role id", doc(owner + "," + admin + `,{"id": "Big Boss", "label": "B", "description": "d", "permissions": {"all": false}}`), "lower-case"},
		{"role without description", doc(owner + "," + admin + `,{"id": "x", "label": "X", "permissions": {"all": false}}`), "description"},
		{"admin may not manage", doc(owner + `,{"id": "admin", "label": "Admin", "description": "d", "permissions": {"all": true}}`), "always may manage"},
		{"defaults beyond the role", doc(owner + "," + admin + `,{"id": "v", "label": "V", "description": "d", "permissions": {"all": false, "granted": ["users.manage"]}}`), "role_cannot_manage_users"},
		{"unknown default", doc(owner + "," + admin + `,{"id": "v", "label": "V", "description": "d", "permissions": {"all": false, "granted": ["x.view"]}}`), "not a known permission"},
		{"preset with the owner role", doc(owner+","+admin, `"presets": [{"id": "o", "label": "O", "role": "owner", "permissions": {"all": true}}]`), "can be given"},
		{"preset with an unknown role", doc(owner+","+admin, `"presets": [{"id": "o", "label": "O", "role": "boss", "permissions": {"all": true}}]`), "can be given"},
		{"permission without description", `{"roles": [` + owner + "," + admin + `], "areas": [{"id": "a", "label": "A", "permissions": [{"name": "a.view", "label": "V"}]}]}`, "description"},
		{"misspelt field", doc(owner+","+admin, `"preset": []`), "unknown field"},
	} {
		_, err := ParseCatalog([]byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error with %q", tt.name, err, tt.want)
		}
	}
}
