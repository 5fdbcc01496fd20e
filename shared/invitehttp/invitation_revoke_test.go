package invitehttp

import (
	"context"
	"testing"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/testenv"
)

func TestRevoke(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, cookie := e.Account(t)
	_, viewerCookie := e.Member(t, a, domain.RoleMember, domain.StatusActive, "users.view")
	invitee, inviteeCookie := e.SignedUser(t, true)
	v, token := e.Invite(t, a, owner, invitee.Email, "member")
	h := fixture.Wrap(t, "invitation-revoke", newRevoke(e.Auth, e.Service))
	del := func(cookie string) api.Response {
		resp, err := h(context.Background(), fixture.Request(t, "invitation-revoke.json", "", cookie, "accountId", a.ID, "id", v.ID))
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if resp := del(viewerCookie); resp.StatusCode != 403 || fixture.ErrorCode(resp) != "missing_permission" {
		t.Errorf("viewer: got %d %s, want 403 missing_permission", resp.StatusCode, resp.Body)
	}
	acc, hist := e.Items(t, a.ID)
	if resp := del(cookie); resp.StatusCode != 204 {
		t.Fatalf("revoke: got %d %s, want 204", resp.StatusCode, resp.Body)
	}
	// The invitation stays (revoked), its email slot and expiry marker go;
	// one event.
	if acc2, hist2 := e.Items(t, a.ID); acc2 != acc-2 || hist2 != hist+1 {
		t.Errorf("items: got %d/%d, want %d/%d", acc2, hist2, acc-2, hist+1)
	}
	if _, err := e.Service.Preview(context.Background(), token); err == nil {
		t.Errorf("revoked link still previews")
	}
	sess, _ := e.Auth.Session(context.Background(), fixture.Request(t, "invitation-accept.json", "", inviteeCookie))
	if _, err := e.Service.Accept(context.Background(), domain.Actor{UserID: sess.UserID}, token); err == nil {
		t.Errorf("revoked link still accepts")
	}
	if resp := del(cookie); resp.StatusCode != 409 || fixture.ErrorCode(resp) != "invitation_not_pending" {
		t.Errorf("again: got %d %s, want 409 invitation_not_pending", resp.StatusCode, resp.Body)
	}
	_ = testenv.UniqueEmail
}
