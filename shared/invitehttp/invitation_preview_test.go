package invitehttp

import (
	"context"
	"strings"
	"testing"
	"time"

	"roster/shared/api"
	"roster/shared/fixture"
	"roster/shared/invite"
)

func TestPreview(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	now := time.Now().UTC()
	e.Store = e.Store.WithClock(func() time.Time { return now })
	e.Rebuild()
	a, owner, _ := e.Account(t)
	invitee, _ := e.SignedUser(t, true)
	_, token := e.Invite(t, a, owner, invitee.Email, "admin", "users.view")
	h := fixture.Wrap(t, "invitation-preview", newPreview(e.Service))
	call := func(body string) api.Response {
		resp, err := h(context.Background(), fixture.Request(t, "invitation-preview.json", body, ""))
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	accBefore, histBefore := e.Items(t, a.ID)
	// Three previews (a mail scanner and the person) use nothing up.
	for i := 0; i < 3; i++ {
		resp := call(`{"token":"` + token + `"}`)
		var p invite.Preview
		fixture.Decode(t, resp, &p)
		if resp.StatusCode != 200 || p.AccountName != a.Name || p.InviterEmail != owner.Email || p.Email != invitee.Email || p.Role != "admin" {
			t.Fatalf("preview %d: got %d %s", i, resp.StatusCode, resp.Body)
		}
	}
	if acc, hist := e.Items(t, a.ID); acc != accBefore || hist != histBefore {
		t.Errorf("preview wrote: got %d/%d items, want %d/%d", acc, hist, accBefore, histBefore)
	}
	tampered := []byte(token)
	if tampered[0] == 'A' {
		tampered[0] = 'B'
	} else {
		tampered[0] = 'A'
	}
	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantCode   string
	}{
		{"malformed", `{"token":"not-a-token"}`, 404, "invalid_token"},
		{"tampered", `{"token":"` + string(tampered) + `"}`, 404, "invalid_token"},
		{"empty", `{"token":""}`, 404, "invalid_token"},
		{"token in a number", `{"token":5}`, 400, "invalid_body"},
		{"over the limit", `{"token":"` + strings.Repeat("A", api.MaxBodyBytes) + `"}`, 413, "too_large"},
	}
	for _, tt := range tests {
		resp := call(tt.body)
		if resp.StatusCode != tt.wantStatus || fixture.ErrorCode(resp) != tt.wantCode {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, resp.StatusCode, fixture.ErrorCode(resp), tt.wantStatus, tt.wantCode)
		}
	}
	now = now.Add(168*time.Hour + time.Minute)
	resp := call(`{"token":"` + token + `"}`)
	if resp.StatusCode != 410 || fixture.ErrorCode(resp) != "invitation_expired" || !strings.Contains(resp.Body, owner.Email) {
		t.Errorf("expired: got %d %s, want 410 invitation_expired naming %s", resp.StatusCode, resp.Body, owner.Email)
	}
}
