package invitehttp

import (
	"context"
	"testing"
	"time"

	"roster/shared/api"
	"roster/shared/fixture"
	"roster/shared/invite"
	"roster/shared/testenv"
)

func TestResend(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	now := time.Now().UTC()
	e.Store = e.Store.WithClock(func() time.Time { return now })
	e.Rebuild()
	a, owner, cookie := e.Account(t)
	email := testenv.UniqueEmail(t)
	v, oldToken := e.Invite(t, a, owner, email, "member")
	h := fixture.Wrap(t, "invitation-resend", newResend(e.Auth, e.Service))
	resend := func() api.Response {
		resp, err := h(context.Background(), fixture.Request(t, "invitation-resend.json", "", cookie, "accountId", a.ID, "id", v.ID))
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := resend()
	if resp.StatusCode != 429 || fixture.ErrorCode(resp) != "resend_too_soon" || resp.Headers["Retry-After"] == "" {
		t.Errorf("at once: got %d %s %v, want 429 resend_too_soon with Retry-After", resp.StatusCode, resp.Body, resp.Headers)
	}
	now = now.Add(8 * 24 * time.Hour) // expired: resend revives it
	resp = resend()
	var got invite.View
	fixture.Decode(t, resp, &got)
	if resp.StatusCode != 200 || got.State != "pending" || got.Delivery != "queued" || got.ResendCount != 1 || !got.ExpiresAt.After(now) {
		t.Fatalf("resend: got %d %s", resp.StatusCode, resp.Body)
	}
	e.SendMail(t)
	toks := fixture.Tokens(t, email)
	if len(toks) != 2 {
		t.Fatalf("mails: got %d, want 2", len(toks))
	}
	if _, err := e.Service.Preview(context.Background(), oldToken); fixture.ErrorCode(api.Error(context.Background(), err)) != "invalid_token" {
		t.Errorf("old link: got %v, want invalid_token", err)
	}
	if _, err := e.Service.Preview(context.Background(), toks[1]); err != nil {
		t.Errorf("new link: %v", err)
	}
}
