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

func createTestHandler(t testing.TB, e *fixture.InviteEnv) api.LambdaHandler {
	return fixture.Wrap(t, "invitations-create", newCreate(e.Auth, e.Service))
}

// TestBadRequests: each refused request is a clear JSON error; nothing is
// written and no email is sent.
func TestBadRequests(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, _, cookie := e.Account(t)
	_, viewerCookie := e.Member(t, a, domain.RoleMember, domain.StatusActive, "users.view")
	email := testenv.UniqueEmail(t)
	good := `{"email":"` + email + `","role":"member","permissions":{"all":false,"granted":["users.view"]}}`
	h := createTestHandler(t, e)
	accBefore, histBefore := e.Items(t, a.ID)

	tests := []struct {
		name       string
		body       string
		cookie     string
		mutate     func(*api.Request)
		wantStatus int
		wantCode   string
	}{
		{"not signed in", good, "", nil, 401, "unauthenticated"},
		{"other account", good, cookie, func(r *api.Request) { r.PathParameters["accountId"] = "nope" }, 404, "account_not_found"},
		{"cross-site", good, cookie, func(r *api.Request) { r.Headers["origin"] = "https://evil.example" }, 403, "bad_origin"},
		{"without users.manage", good, viewerCookie, nil, 403, "missing_permission"},
		{"body over the limit", `{"email":"` + strings.Repeat("a", api.MaxBodyBytes) + `"}`, cookie, nil, 413, "too_large"},
		{"not JSON", `email=x`, cookie, nil, 400, "invalid_json"},
		{"unknown field", `{"email":"` + email + `","role":"member","permissions":{"all":true},"admin":true}`, cookie, nil, 400, "unknown_field"},
		{"invalid email", `{"email":"nope","role":"member","permissions":{"all":false,"granted":[]}}`, cookie, nil, 400, "invalid_email"},
		{"overlong email", `{"email":"` + strings.Repeat("a", 250) + `@example.com","role":"member","permissions":{"all":false,"granted":[]}}`, cookie, nil, 400, "invalid_email"},
		{"unknown permission", `{"email":"` + email + `","role":"member","permissions":{"all":false,"granted":["x.y"]}}`, cookie, nil, 400, "unknown_permission"},
		{"role owner", `{"email":"` + email + `","role":"owner","permissions":{"all":true}}`, cookie, nil, 400, "invalid_role"},
		{"right-to-left override in the email", `{"email":"\u202e` + email + `","role":"member","permissions":{"all":false,"granted":[]}}`, cookie, nil, 400, "invalid_email"},
		{"zero-width space in the email", `{"email":"` + strings.Replace(email, "@", "\u200b@", 1) + `","role":"member","permissions":{"all":false,"granted":[]}}`, cookie, nil, 400, "invalid_email"},
		{"soft hyphen in the email's domain", `{"email":"` + strings.Replace(email, "example", "exam\u00adple", 1) + `","role":"member","permissions":{"all":false,"granted":[]}}`, cookie, nil, 400, "invalid_email"},
		{"right-to-left override in a name", `{"email":"` + email + `","firstName":"\u202eEve","role":"member","permissions":{"all":false,"granted":[]}}`, cookie, nil, 400, "invalid_name"},
		{"C1 next line in a name", `{"email":"` + email + `","lastName":"Eve\u0085","role":"member","permissions":{"all":false,"granted":[]}}`, cookie, nil, 400, "invalid_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := fixture.Request(t, "invitations-create.json", tt.body, tt.cookie, "accountId", a.ID)
			if tt.mutate != nil {
				tt.mutate(&req)
			}
			resp, err := h(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus || fixture.ErrorCode(resp) != tt.wantCode {
				t.Errorf("got %d %s, want %d %s (%s)", resp.StatusCode, fixture.ErrorCode(resp), tt.wantStatus, tt.wantCode, resp.Body)
			}
		})
	}
	if acc, hist := e.Items(t, a.ID); acc != accBefore || hist != histBefore {
		t.Errorf("items: got %d/%d, want %d/%d", acc, hist, accBefore, histBefore)
	}
	if n := len(testenv.MailTo(t, email)); n != 0 {
		t.Errorf("mails: got %d, want 0", n)
	}
}

// TestCreateAndRetry: 201 with the invitation; a retry with the same
// Idempotency-Key answers the same invitation and sends no second email
// (the key is written with the invitation, in one transaction, so a retry
// never finds the first request in flight); the same key with another body
// is 422; without the key a second create is 409 invitation_pending.
func TestCreateAndRetry(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, _, cookie := e.Account(t)
	email := testenv.UniqueEmail(t)
	body := `{"email":"` + email + `","firstName":"Grace","role":"admin","permissions":{"all":true}}`
	h := createTestHandler(t, e)
	var first invite.View
	for i := 0; i < 2; i++ {
		req := fixture.Request(t, "invitations-create.json", body, cookie, "accountId", a.ID)
		req.Headers["Idempotency-Key"] = "retry-1"
		resp, err := h(context.Background(), req)
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("create %d: got %d %s, %v; want 201", i, resp.StatusCode, resp.Body, err)
		}
		var v invite.View
		fixture.Decode(t, resp, &v)
		if i == 0 {
			first = v
		} else if v.ID != first.ID {
			t.Errorf("retry: got id %s, want %s", v.ID, first.ID)
		}
	}
	if first.State != "pending" || first.Delivery != "queued" || !first.Permissions.All || first.Email != email {
		t.Errorf("view: got %+v", first)
	}
	other := fixture.Request(t, "invitations-create.json", strings.Replace(body, `"admin"`, `"member"`, 1), cookie, "accountId", a.ID)
	other.Headers["Idempotency-Key"] = "retry-1"
	if r, _ := h(context.Background(), other); r.StatusCode != 422 || fixture.ErrorCode(r) != "idempotency_mismatch" {
		t.Errorf("another body with the key: got %d %s, want 422 idempotency_mismatch", r.StatusCode, r.Body)
	}
	e.SendMail(t)
	if n := len(testenv.MailTo(t, email)); n != 1 {
		t.Errorf("mails: got %d, want 1", n)
	}
	resp, _ := h(context.Background(), fixture.Request(t, "invitations-create.json", body, cookie, "accountId", a.ID))
	if resp.StatusCode != 409 || fixture.ErrorCode(resp) != "invitation_pending" || !strings.Contains(resp.Body, "Resend") {
		t.Errorf("again: got %d %s, want 409 invitation_pending pointing to Resend", resp.StatusCode, resp.Body)
	}
}

// TestConcurrentRetriesWithOneKey: four requests with one key at once make
// one invitation and one mail, and all four answer it.
func TestConcurrentRetriesWithOneKey(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	a, _, cookie := e.Account(t)
	h := createTestHandler(t, e)
	email := testenv.UniqueEmail(t)
	body := `{"email":"` + email + `","role":"member","permissions":{"all":false,"granted":["billing.view"]}}`
	var wg sync.WaitGroup
	got := make([]api.Response, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := fixture.Request(t, "invitations-create.json", body, cookie, "accountId", a.ID)
			req.Headers["Idempotency-Key"] = "together"
			got[i], _ = h(context.Background(), req)
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	for i, r := range got {
		var v invite.View
		if r.StatusCode != 201 {
			t.Errorf("request %d: got %d %s, want 201", i, r.StatusCode, r.Body)
			continue
		}
		fixture.Decode(t, r, &v)
		ids[v.ID] = true
	}
	if len(ids) != 1 {
		t.Errorf("invitations answered: got %d, want 1", len(ids))
	}
	e.SendMail(t)
	if n := len(testenv.MailTo(t, email)); n != 1 {
		t.Errorf("mails: got %d, want 1", n)
	}
}
