package identityhttp

import (
	"context"
	"maps"
	"strings"
	"testing"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/telemetry"
	"roster/shared/testenv"
)

func newRegisterTestHandler(t *testing.T) (api.HandlerFunc, *fixture.Env) {
	e := fixture.New(t)
	return newRegister(identity.NewService(e.Store), false), e
}

func registerBody(email string) map[string]any {
	return map[string]any{"email": email, "firstName": "Ada", "lastName": "Lovelace", "password": "a long and unusual passphrase"}
}

func TestRegister(t *testing.T) {
	t.Parallel()
	h, e := newRegisterTestHandler(t)
	email := testenv.UniqueEmail(t)
	resp := fixture.Call(t, h, fixture.Request(t, "auth-register.json", registerBody("  "+strings.ToUpper(email)+" "), ""))
	if resp.StatusCode != 202 {
		t.Fatalf("status: got %d, want 202 (%s)", resp.StatusCode, resp.Body)
	}
	first := resp.Body
	if n := e.Count(t, "EMAIL#"+email); n != 1 {
		t.Errorf("email claims: got %d, want 1", n)
	}
	// Not signed in: the link in the mail confirms the address, then the
	// person signs in.
	if resp.Cookies != nil {
		t.Errorf("cookies: got %v, want none", resp.Cookies)
	}
	u, err := e.Store.GetUserByEmail(context.Background(), email)
	if err != nil || u.EmailVerified || u.FirstName != "Ada" {
		t.Fatalf("login: got %+v %v, want Ada, unverified", u, err)
	}
	if n := e.Sessions(t, u.ID); n != 0 {
		t.Errorf("sessions: got %d, want 0", n)
	}
	// The mail was queued, not sent: the sender sends it, with the link's
	// token in the fragment, and stores only the token's hash.
	if n := len(testenv.MailTo(t, email)); n != 0 {
		t.Errorf("mails before the sender ran: got %d, want 0", n)
	}
	e.SendMail(t)
	mails := testenv.MailTo(t, email)
	if len(mails) != 1 || !strings.Contains(mails[0].Body.Text, "http://localhost:3000/verify#token=") {
		t.Fatalf("mails: got %+v, want one with the verify link", mails)
	}
	token := fixture.TokenFromMail(t, email)
	if n := e.Count(t, "TOKEN#"+auth.HashToken(token)); n != 1 {
		t.Errorf("stored token (by hash): got %d, want 1", n)
	}
	if n := e.Count(t, "TOKEN#"+token); n != 0 {
		t.Errorf("token stored in clear")
	}

	// The same email again, in another case and Unicode form: the same
	// answer, nothing written but the owner's mail, and the owner is told.
	fullwidth := string(rune(0xFF41+int(email[0]-'a'))) + strings.ToUpper(email[1:])
	for _, again := range []string{email, strings.ToUpper(email), fullwidth} {
		resp := fixture.Call(t, h, fixture.Request(t, "auth-register.json", registerBody(again), ""))
		if resp.StatusCode != 202 || resp.Body != first || resp.Cookies != nil {
			t.Errorf("%q again: got %d %s %v, want the first answer, no cookie", again, resp.StatusCode, resp.Body, resp.Cookies)
		}
	}
	if n := e.Count(t, "EMAIL#"+email); n != 1 {
		t.Errorf("email claims after duplicates: got %d, want 1", n)
	}
	e.SendMail(t)
	mails = testenv.MailTo(t, email)
	if len(mails) != 4 {
		t.Fatalf("mails after duplicates: got %d, want 1 + 3", len(mails))
	}
	for _, m := range mails[1:] {
		if !strings.Contains(m.Subject, "tried to create a Roster login") || !strings.Contains(m.Body.Text, "http://localhost:3000/forgot-password") ||
			strings.Contains(m.Body.Text, "#token=") {
			t.Errorf("owner's mail: got %q %q, want the notice with sign-in and reset links, no token", m.Subject, m.Body.Text)
		}
	}
	if got, _ := e.Store.GetUser(context.Background(), u.ID); got.FirstName != "Ada" || got.EmailVerified || got.Version != 1 {
		t.Errorf("login after duplicates: got %+v, want unchanged", got)
	}
}

// TestRegisterAnswersAlike: registering an address that has a login and
// one that has none answer the same status and body, and cost the same
// DynamoDB calls, so that neither the answer nor its time tells whether
// an address has a login.
func TestRegisterAnswersAlike(t *testing.T) {
	t.Parallel()
	h, e := newRegisterTestHandler(t)
	owner := e.User(t, true)
	call := func(email string) (api.Response, telemetry.Summary) {
		c, rec := telemetry.WithRecorder(context.Background())
		req := fixture.Request(t, "auth-register.json", registerBody(email), "")
		resp, err := h(c, req)
		if err != nil {
			resp = api.Error(c, err)
		}
		return resp, rec.Summary()
	}
	taken, takenCost := call(owner.Email)
	fresh, freshCost := call(testenv.UniqueEmail(t))
	if taken.StatusCode != fresh.StatusCode || taken.Body != fresh.Body || taken.StatusCode != 202 {
		t.Errorf("answers: got %d %s and %d %s, want the same 202", taken.StatusCode, taken.Body, fresh.StatusCode, fresh.Body)
	}
	if !maps.Equal(takenCost.ByOp, freshCost.ByOp) || takenCost.RCU != freshCost.RCU {
		t.Errorf("DynamoDB calls: taken %v %g RCU, new %v %g RCU; want the same", takenCost.ByOp, takenCost.RCU, freshCost.ByOp, freshCost.RCU)
	}
	t.Logf("taken: %v, %.2f ms in DynamoDB; new: %v, %.2f ms", takenCost.ByOp, takenCost.MS, freshCost.ByOp, freshCost.MS)
}

func TestRegisterRefusesBadInput(t *testing.T) {
	t.Parallel()
	h, e := newRegisterTestHandler(t)
	email := testenv.UniqueEmail(t)
	with := func(k string, v any) map[string]any { b := registerBody(email); b[k] = v; return b }
	tests := []struct {
		name      string
		body      any
		wantCode  string
		wantField string
	}{
		{"malformed email", with("email", "ada@"), "invalid_email", "email"},
		{"email with a name", with("email", "Ada <"+email+">"), "invalid_email", "email"},
		{"overlong email", with("email", strings.Repeat("a", 250)+"@example.com"), "invalid_email", "email"},
		{"no first name", with("firstName", "  "), "invalid_name", "firstName"},
		{"overlong last name", with("lastName", strings.Repeat("x", 101)), "invalid_name", "lastName"},
		{"control characters", with("lastName", "a\x00b"), "invalid_name", "lastName"},
		{"C1 next line in a name", with("lastName", "Love\u0085lace"), "invalid_name", "lastName"},
		{"right-to-left override in a name", with("firstName", "\u202eAda"), "invalid_name", "firstName"},
		{"right-to-left override in the email", with("email", "\u202e"+email), "invalid_email", "email"},
		{"zero-width space in the email", with("email", "\u200b"+email), "invalid_email", "email"},
		{"soft hyphen in the email's domain", with("email", strings.Replace(email, "example", "exam\u00adple", 1)), "invalid_email", "email"},
		{"short password", with("password", "short"), "weak_password", "password"},
		{"overlong password", with("password", strings.Repeat("p", 129)), "invalid_password", "password"},
		{"common password", with("password", "password1"), "weak_password", "password"},
		{"email as password", with("password", email), "weak_password", "password"},
		{"unknown field", with("role", "owner"), "unknown_field", "role"},
		{"wrong type", with("email", 42), "invalid_body", "email"},
		{"not JSON", "{email:", "invalid_json", ""},
		{"empty", "", "invalid_body", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := fixture.Call(t, h, fixture.Request(t, "auth-register.json", tt.body, ""))
			b := fixture.ErrorOf(t, resp)
			if resp.StatusCode != 400 || b.Error.Code != tt.wantCode || b.Error.Field != tt.wantField {
				t.Errorf("got %d %+v, want 400 %s on %q", resp.StatusCode, b.Error, tt.wantCode, tt.wantField)
			}
		})
	}
	if n := e.Count(t, "EMAIL#"+email); n != 0 {
		t.Errorf("email claims: got %d, want 0", n)
	}
	if n := len(testenv.MailTo(t, email)); n != 0 {
		t.Errorf("mails: got %d, want 0", n)
	}
}

func TestRegisterRateLimit(t *testing.T) {
	t.Parallel()
	h, e := newRegisterTestHandler(t)
	email := testenv.UniqueEmail(t)
	req := fixture.Request(t, "auth-register.json", registerBody(email), "")
	req.RequestContext.HTTP.SourceIP = "192.0.2.77"
	for range auth.RegisterPerIP.Max {
		if _, err := e.Store.Hit(context.Background(), auth.LimitRegisterIP("192.0.2.77"), auth.RegisterPerIP); err != nil {
			t.Fatal(err)
		}
	}
	resp := fixture.Call(t, h, req)
	if resp.StatusCode != 429 || resp.Headers["Retry-After"] == "" || fixture.ErrorOf(t, resp).Error.Code != "rate_limited" {
		t.Fatalf("got %d %v %s, want 429 with Retry-After", resp.StatusCode, resp.Headers, resp.Body)
	}
	if n := e.Count(t, "EMAIL#"+email); n != 0 {
		t.Errorf("email claims: got %d, want 0", n)
	}
}

// TestRegisterFromInvitation: registering with the token of an invitation
// mailed to the same address confirms the address (no second mail); any
// other token changes nothing and is not reported.
func TestRegisterFromInvitation(t *testing.T) {
	t.Parallel()
	e := fixture.NewInvite(t)
	h := newRegister(identity.NewService(e.Store), false)
	a, owner, _ := e.Account(t)
	invited := testenv.UniqueEmail(t)
	_, token := e.Invite(t, a, owner, invited, "member", "billing.view")
	other := testenv.UniqueEmail(t)
	_, otherToken := e.Invite(t, a, owner, other, "member", "billing.view")

	tests := []struct {
		name         string
		email, token string
		wantVerified bool
	}{
		{"the invited address", invited, token, true},
		{"another address with a real token", testenv.UniqueEmail(t), otherToken, false},
		{"a malformed token", testenv.UniqueEmail(t), "nope", false},
		{"an unknown token", testenv.UniqueEmail(t), strings.Repeat("A", 43), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := registerBody(tt.email)
			body["invitationToken"] = tt.token
			resp := fixture.Call(t, h, fixture.Request(t, "auth-register.json", body, ""))
			e.SendMail(t)
			mails := len(testenv.MailTo(t, tt.email))
			if !tt.wantVerified {
				// Proves nothing: the answer of any registration, and the
				// verification mail.
				if resp.StatusCode != 202 || resp.Cookies != nil || mails != 1 {
					t.Errorf("got %d %v and %d mails, want 202, no cookie, the verification mail", resp.StatusCode, resp.Cookies, mails)
				}
				return
			}
			if resp.StatusCode != 201 {
				t.Fatalf("status: got %d, want 201 (%s)", resp.StatusCode, resp.Body)
			}
			var got struct{ User domain.Profile }
			fixture.Decode(t, resp, &got)
			if !got.User.EmailVerified || mails != 1 {
				t.Errorf("got verified %v and %d mails, want verified and the invitation only", got.User.EmailVerified, mails)
			}
			// Signed in with a verified session: they may accept at once.
			if _, err := e.Auth.Verified(context.Background(), fixture.Bare("GET", fixture.SessionCookie(t, resp), nil)); err != nil {
				t.Errorf("verified session: got %v", err)
			}
			// The link proved the address, so its holder may learn that it
			// has a login now.
			again := fixture.Call(t, h, fixture.Request(t, "auth-register.json", body, ""))
			if b := fixture.ErrorOf(t, again); again.StatusCode != 409 || b.Error.Code != "email_taken" {
				t.Errorf("again: got %d %+v, want 409 email_taken", again.StatusCode, b.Error)
			}
		})
	}
}
