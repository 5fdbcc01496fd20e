package memberhttp

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/store"
)

func TestUpdateMember(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	h := newUpdate(f.Auth, f.Service)
	admin := f.Add(t, "Ada", "Admin", domain.RoleAdmin, "users.view", "users.manage", "billing.view", "billing.manage")
	target := f.Add(t, "Tim", "Target", domain.RoleMember, "billing.view")
	tests := []struct {
		name   string
		cookie string
		target string
		body   any
		status int
		code   string
	}{
		{"no version", admin.Cookie, target.User.ID, `{"role":"admin"}`, 400, "missing_version"},
		{"unknown field", admin.Cookie, target.User.ID, `{"version":1,"email":"x@example.com"}`, 400, "unknown_field"},
		{"owner role", admin.Cookie, target.User.ID, `{"version":1,"role":"owner"}`, 400, "invalid_role"},
		{"unknown permission", admin.Cookie, target.User.ID, `{"version":1,"permissions":{"all":false,"granted":["nope.view"]}}`, 400, "unknown_permission"},
		{"unknown member", admin.Cookie, store.NewID(), `{"version":1,"role":"admin"}`, 404, "member_not_found"},
		{"grant beyond the actor", admin.Cookie, target.User.ID, `{"version":1,"permissions":{"all":true}}`, 403, "grant_all"},
		{"edit the owner", admin.Cookie, f.Owner.User.ID, `{"version":1,"firstName":"Mallory"}`, 403, "owner_protected"},
		{"stale", admin.Cookie, target.User.ID, `{"version":5,"role":"admin"}`, 409, "stale_version"},
		{"not JSON", admin.Cookie, target.User.ID, `{`, 400, "invalid_json"},
	}
	for _, tt := range tests {
		before := f.Counts(t)
		status, body := fixture.Wrapped(t, "member-update", h, f.Event(t, "member-update.json", tt.cookie, tt.target, tt.body))
		if status != tt.status || fixture.CodeOf(body) != tt.code {
			t.Errorf("%s: got %d %s, want %d %q", tt.name, status, body, tt.status, tt.code)
		}
		if after := f.Counts(t); after != before {
			t.Errorf("%s: items got %v, want %v", tt.name, after, before)
		}
	}
	// The stale answer carries the current member.
	_, body := fixture.Wrapped(t, "member-update", h, f.Event(t, "member-update.json", admin.Cookie, target.User.ID, `{"version":5,"role":"admin"}`))
	var stale struct {
		Error struct {
			Current struct {
				UserID  string `json:"userId"`
				Version int64  `json:"version"`
			} `json:"current"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &stale); err != nil || stale.Error.Current.UserID != target.User.ID || stale.Error.Current.Version != 1 {
		t.Errorf("stale body: got %s, want the current member at version 1", body)
	}
	// A bad origin is refused before anything is read.
	req := f.Event(t, "member-update.json", admin.Cookie, target.User.ID, nil)
	req.Headers["origin"] = "https://evil.example"
	if status, body := fixture.Wrapped(t, "member-update", h, req); status != 403 || fixture.CodeOf(body) != "bad_origin" {
		t.Errorf("bad origin: got %d %s", status, body)
	}
	// The sample edit: role admin, billing.view and users.view.
	status, body := fixture.Wrapped(t, "member-update", h, f.Event(t, "member-update.json", admin.Cookie, target.User.ID, nil))
	if status != 200 {
		t.Fatalf("edit: got %d %s", status, body)
	}
	if m := f.Membership(t, target.User.ID); m.Role != domain.RoleAdmin || m.Version != 2 || len(m.Permissions.Granted) != 2 {
		t.Errorf("edited: got %+v", m)
	}
}

// TestConcurrentPatches: ten admins' saves of the same version, at once:
// exactly one 200, the others 409 stale_version.
func TestConcurrentPatches(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	h := newUpdate(f.Auth, f.Service)
	target := f.Add(t, "Con", "Tested", domain.RoleMember, "billing.view")
	const n = 10
	statuses := make([]int, n)
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		req := f.Event(t, "member-update.json", f.Owner.Cookie, target.User.ID, fmt.Sprintf(`{"version":1,"lastName":"Edit %d"}`, i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			var body string
			statuses[i], body = fixture.Wrapped(t, "member-update", h, req)
			codes[i] = fixture.CodeOf(body)
		}()
	}
	wg.Wait()
	ok, stale := 0, 0
	for i := range n {
		switch {
		case statuses[i] == 200:
			ok++
		case statuses[i] == 409 && codes[i] == "stale_version":
			stale++
		default:
			t.Errorf("save %d: got %d %s", i, statuses[i], codes[i])
		}
	}
	if ok != 1 || stale != n-1 {
		t.Errorf("got %d ok and %d stale, want 1 and %d", ok, stale, n-1)
	}
	if got := f.MemberHistory(t, target.User.ID); got != 1 {
		t.Errorf("events: got %d, want 1", got)
	}
}
