package invitehttp

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/invite"
	"roster/shared/testenv"
)

func TestUpdate(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, cookie := e.Account(t)
	_, adminCookie := e.Member(t, a, domain.RoleAdmin, domain.StatusActive, "users.manage", "users.view")
	v, _ := e.Invite(t, a, owner, testenv.UniqueEmail(t), "member", "billing.view")
	h := fixture.Wrap(t, "invitation-update", newUpdate(e.Auth, e.Service))
	patch := func(cookie, id, body string) api.Response {
		resp, err := h(context.Background(), fixture.Request(t, "invitation-update.json", body, cookie, "accountId", a.ID, "id", id))
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := patch(cookie, v.ID, `{"version":1,"role":"admin","permissions":{"all":false,"granted":["users.manage","billing.view"]},"lastName":"Hopper"}`)
	var got invite.View
	fixture.Decode(t, resp, &got)
	if resp.StatusCode != 200 || got.Role != "admin" || got.LastName != "Hopper" || got.Version != 2 ||
		strings.Join(got.Permissions.Granted, ",") != "billing.view,users.manage,users.view" {
		t.Fatalf("patch: got %d %s", resp.StatusCode, resp.Body)
	}
	_, hist := e.Items(t, a.ID)
	tests := []struct {
		name, cookie, id, body string
		wantStatus             int
		wantCode               string
	}{
		{"stale version", cookie, v.ID, `{"version":1,"role":"member"}`, 409, "stale_version"},
		{"no version", cookie, v.ID, `{"role":"member"}`, 400, "missing_version"},
		{"role owner", cookie, v.ID, `{"version":2,"role":"owner"}`, 400, "invalid_role"},
		{"unknown permission", cookie, v.ID, `{"version":2,"permissions":{"all":false,"granted":["nope.view"]}}`, 400, "unknown_permission"},
		{"target beyond the actor", adminCookie, v.ID, `{"version":2,"role":"member"}`, 403, "target_exceeds_actor"},
		{"unknown invitation", cookie, "nope", `{"version":1}`, 404, "invitation_not_found"},
		{"over the limit", cookie, v.ID, `{"version":2,"lastName":"` + strings.Repeat("x", api.MaxBodyBytes) + `"}`, 413, "too_large"},
	}
	for _, tt := range tests {
		resp := patch(tt.cookie, tt.id, tt.body)
		if resp.StatusCode != tt.wantStatus || fixture.ErrorCode(resp) != tt.wantCode {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, resp.StatusCode, fixture.ErrorCode(resp), tt.wantStatus, tt.wantCode)
		}
		if tt.wantCode == "stale_version" {
			var body struct {
				Error struct {
					Current invite.View `json:"current"`
				} `json:"error"`
			}
			_ = json.Unmarshal([]byte(resp.Body), &body)
			if body.Error.Current.Version != 2 || body.Error.Current.Role != "admin" {
				t.Errorf("stale: got current %+v, want version 2 admin", body.Error.Current)
			}
		}
	}
	if _, h2 := e.Items(t, a.ID); h2 != hist {
		t.Errorf("history after refusals: got %d, want %d", h2, hist)
	}
}
