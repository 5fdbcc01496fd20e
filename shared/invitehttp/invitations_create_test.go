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
	"roster/shared/mail"
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
// Idempotency-Key answers the same invitation and sends no second email;
// without the key a second create is 409 invitation_pending.
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
	if first.State != "pending" || first.Delivery != "sent" || !first.Permissions.All || first.Email != email {
		t.Errorf("view: got %+v", first)
	}
	if n := len(testenv.MailTo(t, email)); n != 1 {
		t.Errorf("mails: got %d, want 1", n)
	}
	resp, _ := h(context.Background(), fixture.Request(t, "invitations-create.json", body, cookie, "accountId", a.ID))
	if resp.StatusCode != 409 || fixture.ErrorCode(resp) != "invitation_pending" || !strings.Contains(resp.Body, "Resend") {
		t.Errorf("again: got %d %s, want 409 invitation_pending pointing to Resend", resp.StatusCode, resp.Body)
	}
}

// heldMailer sends through the local SES, but only once released: it keeps
// the first request in flight for as long as the test needs.
type heldMailer struct {
	next    invite.Mailer
	started chan struct{}
	release chan struct{}
}

func (m *heldMailer) Send(ctx context.Context, msg mail.Message) (string, error) {
	m.started <- struct{}{}
	<-m.release
	return m.next.Send(ctx, msg)
}

// TestIdempotencyKeyAsTheDraftSays: while the first request with a key is
// in flight a retry gets 409 idempotency_in_flight with Retry-After; four
// concurrent retries never get invitation_pending; once it finished,
// retries get its invitation; the same key with another body gets 422.
func TestIdempotencyKeyAsTheDraftSays(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	held := &heldMailer{next: e.Mailer, started: make(chan struct{}, 1), release: make(chan struct{})}
	e.Mailer = held
	e.Rebuild()
	a, _, cookie := e.Account(t)
	h := createTestHandler(t, e)
	email := testenv.UniqueEmail(t)
	body := `{"email":"` + email + `","role":"member","permissions":{"all":false,"granted":["billing.view"]}}`
	call := func(body string) api.Response {
		req := fixture.Request(t, "invitations-create.json", body, cookie, "accountId", a.ID)
		req.Headers["Idempotency-Key"] = "draft-1"
		resp, err := h(context.Background(), req)
		if err != nil {
			t.Error(err)
		}
		return resp
	}

	firstDone := make(chan api.Response, 1)
	go func() { firstDone <- call(body) }()
	<-held.started // the first request has written its invitation and is mailing

	var wg sync.WaitGroup
	retries := make([]api.Response, 4)
	for i := range retries {
		wg.Add(1)
		go func() { defer wg.Done(); retries[i] = call(body) }()
	}
	wg.Wait()
	for i, r := range retries {
		if r.StatusCode != 409 || fixture.ErrorCode(r) != "idempotency_in_flight" || r.Headers["Retry-After"] == "" {
			t.Errorf("retry %d in flight: got %d %s (Retry-After %q), want 409 idempotency_in_flight with Retry-After", i, r.StatusCode, r.Body, r.Headers["Retry-After"])
		}
	}
	if r := call(strings.Replace(body, "billing.view", "billing.manage", 1)); r.StatusCode != 422 || fixture.ErrorCode(r) != "idempotency_mismatch" {
		t.Errorf("another body in flight: got %d %s, want 422 idempotency_mismatch", r.StatusCode, r.Body)
	}

	close(held.release)
	first := <-firstDone
	if first.StatusCode != 201 {
		t.Fatalf("first: got %d %s, want 201", first.StatusCode, first.Body)
	}
	var made invite.View
	fixture.Decode(t, first, &made)
	var again invite.View
	if r := call(body); r.StatusCode != 201 {
		t.Errorf("retry after: got %d %s, want 201 with the first result", r.StatusCode, r.Body)
	} else if fixture.Decode(t, r, &again); again.ID != made.ID {
		t.Errorf("retry after: got invitation %s, want %s", again.ID, made.ID)
	}
	if r := call(strings.Replace(body, "billing.view", "billing.manage", 1)); r.StatusCode != 422 || fixture.ErrorCode(r) != "idempotency_mismatch" {
		t.Errorf("another body after: got %d %s, want 422 idempotency_mismatch", r.StatusCode, r.Body)
	}
	if n := len(testenv.MailTo(t, email)); n != 1 {
		t.Errorf("mails: got %d, want 1", n)
	}
}

// TestConcurrentRetriesWithOneKey: four requests with one key at once make
// one invitation; none is told invitation_pending.
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
	created := 0
	for i, r := range got {
		switch {
		case r.StatusCode == 201:
			created++
		case r.StatusCode == 409 && fixture.ErrorCode(r) == "idempotency_in_flight":
		default:
			t.Errorf("request %d: got %d %s, want 201 or 409 idempotency_in_flight", i, r.StatusCode, r.Body)
		}
	}
	if created == 0 {
		t.Errorf("no request made the invitation")
	}
	if n := len(testenv.MailTo(t, email)); n != 1 {
		t.Errorf("mails: got %d, want 1", n)
	}
}
