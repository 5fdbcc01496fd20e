package identityhttp

import (
	"context"
	"strings"
	"testing"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/mail"
	"roster/shared/testenv"
)

func newRegisterTestHandler(t *testing.T) (api.HandlerFunc, *fixture.Env) {
	e := fixture.New(t)
	return newRegister(identity.NewService(e.Store, mail.NewSender(testenv.SES(t), "roster@example.com"), "http://localhost:3000"), false), e
}

func registerBody(email string) map[string]any {
	return map[string]any{"email": email, "firstName": "Ada", "lastName": "Lovelace", "password": "a long and unusual passphrase"}
}

func TestRegister(t *testing.T) {
	t.Parallel()
	h, e := newRegisterTestHandler(t)
	email := testenv.UniqueEmail(t)
	resp := fixture.Call(t, h, fixture.Request(t, "auth-register.json", registerBody("  "+strings.ToUpper(email)+" "), ""))
	if resp.StatusCode != 201 {
		t.Fatalf("status: got %d, want 201 (%s)", resp.StatusCode, resp.Body)
	}
	var got struct{ User domain.Profile }
	fixture.Decode(t, resp, &got)
	if got.User.Email != email || got.User.EmailVerified || got.User.FirstName != "Ada" || got.User.ID == "" {
		t.Errorf("user: got %+v, want %s unverified", got.User, email)
	}
	if strings.Contains(resp.Body, "argon2") || strings.Contains(resp.Body, "passwordHash") {
		t.Errorf("answer leaks the hash: %s", resp.Body)
	}
	if n := e.Count(t, "EMAIL#"+email); n != 1 {
		t.Errorf("email claims: got %d, want 1", n)
	}
	// Signed in, unverified, and the mail carries the link in the fragment.
	cookie := fixture.SessionCookie(t, resp)
	if cookie == "" {
		t.Fatal("no session cookie")
	}
	if n := e.Sessions(t, got.User.ID); n != 1 {
		t.Errorf("sessions: got %d, want 1", n)
	}
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

	// The same email again, in another case and Unicode form: refused,
	// nothing written, no second mail.
	fullwidth := string(rune(0xFF41+int(email[0]-'a'))) + strings.ToUpper(email[1:])
	for _, again := range []string{email, strings.ToUpper(email), fullwidth} {
		resp := fixture.Call(t, h, fixture.Request(t, "auth-register.json", registerBody(again), ""))
		b := fixture.ErrorOf(t, resp)
		if resp.StatusCode != 409 || b.Error.Code != "email_taken" || b.Error.Field != "email" {
			t.Errorf("%q again: got %d %+v, want 409 email_taken on email", again, resp.StatusCode, b.Error)
		}
		if resp.Cookies != nil {
			t.Errorf("%q again: got cookies %v, want none", again, resp.Cookies)
		}
	}
	if n := e.Count(t, "EMAIL#"+email); n != 1 {
		t.Errorf("email claims after duplicates: got %d, want 1", n)
	}
	if n := len(testenv.MailTo(t, email)); n != 1 {
		t.Errorf("mails after duplicates: got %d, want 1", n)
	}
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
	h := newRegister(identity.NewService(e.Store, mail.NewSender(testenv.SES(t), "roster@example.com"), "http://localhost:3000"), false)
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
			if resp.StatusCode != 201 {
				t.Fatalf("status: got %d, want 201 (%s)", resp.StatusCode, resp.Body)
			}
			var got struct{ User domain.Profile }
			fixture.Decode(t, resp, &got)
			if got.User.EmailVerified != tt.wantVerified {
				t.Errorf("verified: got %v, want %v", got.User.EmailVerified, tt.wantVerified)
			}
			wantMails := 1
			if tt.wantVerified {
				wantMails = 0
			}
			if n := len(testenv.MailTo(t, tt.email)); n != wantMails && tt.email != invited {
				t.Errorf("verification mails: got %d, want %d", n, wantMails)
			}
			if tt.email == invited {
				// The invitation itself is the one mail.
				if n := len(testenv.MailTo(t, tt.email)); n != 1 {
					t.Errorf("mails to the invitee: got %d, want the invitation only", n)
				}
			}
			// The session is as verified as the login: a verified one may
			// accept at once.
			if _, err := e.Auth.Verified(context.Background(), fixture.Bare("GET", fixture.SessionCookie(t, resp), nil)); (err == nil) != tt.wantVerified {
				t.Errorf("verified session: got %v, want verified %v", err, tt.wantVerified)
			}
		})
	}
}
