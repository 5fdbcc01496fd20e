package invitehttp

import (
	"context"
	"testing"
	"time"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/invite"
	"roster/shared/testenv"
)

func TestList(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	now := time.Now().UTC()
	e.Store = e.Store.WithClock(func() time.Time { return now })
	e.Rebuild()
	a, owner, cookie := e.Account(t)
	_, noViewCookie := e.Member(t, a, domain.RoleMember, domain.StatusActive, "billing.view")
	email := testenv.UniqueEmail(t)
	e.Invite(t, a, owner, email, "member", "billing.view")
	h := fixture.Wrap(t, "invitations-list", newList(e.Auth, e.Service))
	list := func(cookie, cursor string) api.Response {
		req := fixture.Request(t, "invitations-list.json", "", cookie, "accountId", a.ID)
		if cursor != "" {
			req.QueryStringParameters = map[string]string{"cursor": cursor}
		}
		resp, err := h(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := list(cookie, "")
	var page invite.Page
	fixture.Decode(t, resp, &page)
	if resp.StatusCode != 200 || len(page.Items) != 1 || page.Items[0].Email != email || page.Items[0].Inviter.Email != owner.Email ||
		page.Items[0].State != "pending" || page.Items[0].Delivery != "sent" || page.Items[0].SentAt.IsZero() || page.Next != "" {
		t.Fatalf("list: got %d %s", resp.StatusCode, resp.Body)
	}
	now = now.Add(169 * time.Hour)
	fixture.Decode(t, list(cookie, ""), &page)
	if len(page.Items) != 1 || page.Items[0].State != "expired" {
		t.Errorf("after expiry: got %+v, want one expired", page.Items)
	}
	tests := []struct {
		name, cookie, cursor string
		wantStatus           int
		wantCode             string
	}{
		{"not signed in", "", "", 401, "unauthenticated"},
		{"without users.view", noViewCookie, "", 403, "missing_permission"},
		{"garbage cursor", cookie, "%%%", 400, "invalid_cursor"},
		{"forged cursor", cookie, "eyJpIjoieCIsImMiOiJ5IiwicyI6InoifQ", 400, "invalid_cursor"},
	}
	for _, tt := range tests {
		resp := list(tt.cookie, tt.cursor)
		if resp.StatusCode != tt.wantStatus || fixture.ErrorCode(resp) != tt.wantCode {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, resp.StatusCode, fixture.ErrorCode(resp), tt.wantStatus, tt.wantCode)
		}
	}
}
