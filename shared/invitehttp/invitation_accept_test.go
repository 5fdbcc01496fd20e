package invitehttp

import (
	"context"
	"strings"
	"sync"
	"testing"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/invite"
	"roster/shared/testenv"
)

func acceptTestHandler(t testing.TB, e *fixture.InviteEnv) api.LambdaHandler {
	return fixture.Wrap(t, "invitation-accept", newAccept(e.Auth, e.Service))
}

func acceptBody(token string) string { return `{"token":"` + token + `"}` }

func TestAccept(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	invitee, inviteeCookie := e.SignedUser(t, true)
	_, otherCookie := e.SignedUser(t, true)
	unverified, unverifiedCookie := e.SignedUser(t, false)
	_, token := e.Invite(t, a, owner, invitee.Email, "member", "billing.view")
	_, tokenUnverified := e.Invite(t, a, owner, unverified.Email, "member")
	h := acceptTestHandler(t, e)
	accBefore, histBefore := e.Items(t, a.ID)

	tests := []struct {
		name       string
		body       string
		cookie     string
		wantStatus int
		wantCode   string
	}{
		{"not signed in", acceptBody(token), "", 401, "unauthenticated"},
		{"unverified email", acceptBody(tokenUnverified), unverifiedCookie, 403, "email_unverified"},
		{"signed in as another email", acceptBody(token), otherCookie, 403, "email_mismatch"},
		{"malformed token", acceptBody("abc"), inviteeCookie, 404, "invalid_token"},
		{"unknown token", acceptBody(strings.Repeat("B", 43)), inviteeCookie, 404, "invalid_token"},
		{"body over the limit", acceptBody(strings.Repeat("A", api.MaxBodyBytes)), inviteeCookie, 413, "too_large"},
		{"unknown field", `{"token":"x","role":"owner"}`, inviteeCookie, 400, "unknown_field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := h(context.Background(), fixture.Request(t, "invitation-accept.json", tt.body, tt.cookie))
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus || fixture.ErrorCode(resp) != tt.wantCode {
				t.Errorf("got %d %s, want %d %s (%s)", resp.StatusCode, fixture.ErrorCode(resp), tt.wantStatus, tt.wantCode, resp.Body)
			}
			if tt.wantCode == "email_mismatch" && !strings.Contains(resp.Body, invitee.Email) {
				t.Errorf("mismatch does not name the invited address: %s", resp.Body)
			}
		})
	}
	if acc, hist := e.Items(t, a.ID); acc != accBefore || hist != histBefore {
		t.Errorf("items after refusals: got %d/%d, want %d/%d", acc, hist, accBefore, histBefore)
	}

	resp, _ := h(context.Background(), fixture.Request(t, "invitation-accept.json", acceptBody(token), inviteeCookie))
	var got invite.Accepted
	fixture.Decode(t, resp, &got)
	if resp.StatusCode != 200 || got.AccountID != a.ID || got.AccountName != a.Name || got.Role != domain.RoleMember {
		t.Fatalf("accept: got %d %s", resp.StatusCode, resp.Body)
	}
	// The new member reaches the account at once.
	if _, _, err := e.Auth.Member(context.Background(), fixture.Request(t, "invitations-list.json", "", inviteeCookie), a.ID); err != nil {
		t.Errorf("new member's access: %v", err)
	}
	resp, _ = h(context.Background(), fixture.Request(t, "invitation-accept.json", acceptBody(token), inviteeCookie))
	if resp.StatusCode != 404 || fixture.ErrorCode(resp) != "invalid_token" {
		t.Errorf("used token: got %d %s, want 404 invalid_token", resp.StatusCode, resp.Body)
	}
}

// TestConcurrentAccepts: ten simultaneous accepts of one link through the
// handler make exactly one membership.
func TestConcurrentAccepts(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, owner, _ := e.Account(t)
	invitee, cookie := e.SignedUser(t, true)
	_, token := e.Invite(t, a, owner, invitee.Email, "member")
	h := acceptTestHandler(t, e)
	statuses := make([]int, 10)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := h(context.Background(), fixture.Request(t, "invitation-accept.json", acceptBody(token), cookie))
			statuses[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	ok := 0
	for _, s := range statuses {
		if s == 200 {
			ok++
		} else if s != 404 && s != 409 {
			t.Errorf("loser status: got %d, want 404 or 409", s)
		}
	}
	if ok != 1 {
		t.Errorf("accepted: got %d, want 1 (statuses %v)", ok, statuses)
	}
	if n := e.Count(t, "ACCOUNT#"+a.ID+"#HISTORY"); n != 3 { // account.created, invitation.created, invitation.accepted
		t.Errorf("history events: got %d, want 3", n)
	}
	_ = testenv.UniqueEmail
}
