package identityhttp

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/store"
	"roster/shared/telemetry"
)

var ctx = context.Background()

func login(email, password, code string) map[string]any {
	b := map[string]any{"email": email, "password": password}
	if code != "" {
		b["code"] = code
	}
	return b
}

func TestLogin(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newLogin(identity.NewService(e.Store, nil, ""), false)
	verified, unverified := e.User(t, true), e.User(t, false)
	// The verified user is a member of an account: its member list shows
	// the last login.
	account := store.NewID()
	if err := e.Store.CreateAccount(ctx, domain.Account{ID: account, Name: "Acme", OwnerID: verified.ID},
		domain.Membership{AccountID: account, UserID: verified.ID, Email: verified.Email, Role: domain.RoleOwner, Status: domain.StatusActive},
		domain.AuditEvent{AccountID: account, Action: domain.ActionAccountCreated}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name         string
		user         domain.User
		email        string
		wantVerified bool
	}{
		{"verified", verified, verified.Email, true},
		{"email in another case and with spaces", verified, "  " + strings.ToUpper(verified.Email), true},
		{"unverified may sign in, to finish verification", unverified, unverified.Email, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.Sessions(t, tt.user.ID)
			resp := fixture.Call(t, h, fixture.Request(t, "auth-login.json", login(tt.email, fixture.Password, ""), ""))
			if resp.StatusCode != 200 {
				t.Fatalf("status: got %d, want 200 (%s)", resp.StatusCode, resp.Body)
			}
			var got struct{ User domain.Profile }
			fixture.Decode(t, resp, &got)
			if got.User.ID != tt.user.ID || got.User.EmailVerified != tt.wantVerified || got.User.LastLoginAt.IsZero() {
				t.Errorf("user: got %+v", got.User)
			}
			if len(resp.Cookies) != 1 || !strings.Contains(resp.Cookies[0], "HttpOnly") || !strings.Contains(resp.Cookies[0], "SameSite=Lax") {
				t.Errorf("cookie: got %v, want one HttpOnly SameSite=Lax", resp.Cookies)
			}
			// The cookie authenticates, with the user's verification state.
			req := fixture.Request(t, "me.json", nil, fixture.SessionCookie(t, resp))
			sess, err := e.Auth.Session(ctx, req)
			if err != nil || sess.UserID != tt.user.ID || sess.Verified != tt.wantVerified {
				t.Errorf("session: got %+v, %v", sess, err)
			}
			if n := e.Sessions(t, tt.user.ID); n != before+1 {
				t.Errorf("sessions: got %d, want %d", n, before+1)
			}
			if u := e.GetUser(t, tt.user.ID); time.Since(u.LastLoginAt) > time.Minute {
				t.Errorf("lastLoginAt: got %v, want now", u.LastLoginAt)
			}
		})
	}
	if m, err := e.Store.GetMembership(ctx, account, verified.ID); err != nil || time.Since(m.LastLoginAt) > time.Minute {
		t.Errorf("membership lastLoginAt: got %v, %v, want now", m.LastLoginAt, err)
	}
	if _, err := e.Auth.Verified(ctx, fixture.Request(t, "me.json", nil, e.SignIn(t, unverified))); domain.AsError(err) == nil || domain.AsError(err).Code != "email_unverified" {
		t.Errorf("unverified session on a verified-only endpoint: got %v, want email_unverified", err)
	}
}

func TestLoginRefusals(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newLogin(identity.NewService(e.Store, nil, ""), false)
	u := e.User(t, true)
	unknown := "nobody-" + u.Email

	tests := []struct {
		name       string
		body       any
		wantStatus int
		wantCode   string
	}{
		{"unknown email", login(unknown, fixture.Password, ""), 401, "invalid_credentials"},
		{"wrong password", login(u.Email, fixture.Password+"!", ""), 401, "invalid_credentials"},
		{"password in another case", login(u.Email, strings.ToUpper(fixture.Password), ""), 401, "invalid_credentials"},
		{"malformed email", login("not-an-email", fixture.Password, ""), 400, "invalid_email"},
		{"no password", login(u.Email, "", ""), 400, "invalid_password"},
		{"unknown field", map[string]any{"email": u.Email, "password": "x", "remember": true}, 400, "unknown_field"},
	}
	bodies := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := fixture.Call(t, h, fixture.Request(t, "auth-login.json", tt.body, ""))
			if got := fixture.ErrorOf(t, resp).Error.Code; resp.StatusCode != tt.wantStatus || got != tt.wantCode {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, got, tt.wantStatus, tt.wantCode)
			}
			if len(resp.Cookies) != 0 {
				t.Errorf("cookies: got %v, want none", resp.Cookies)
			}
			bodies[tt.name] = resp.Body
		})
	}
	// The enumeration rule: an unknown email and a wrong password get the
	// same status and the very same body.
	if bodies["unknown email"] != bodies["wrong password"] {
		t.Errorf("unknown email answered %s, wrong password %s: want the same", bodies["unknown email"], bodies["wrong password"])
	}
	if n := e.Sessions(t, u.ID); n != 0 {
		t.Errorf("sessions after refusals: got %d, want 0", n)
	}
	if got := e.GetUser(t, u.ID); !got.LastLoginAt.IsZero() || got.Version != u.Version {
		t.Errorf("user changed by refusals: got %+v", got)
	}
}

func TestLoginRateLimits(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newLogin(identity.NewService(e.Store, nil, ""), false)
	u := e.User(t, true)

	// Per email: after LoginPerEmail.Max failures even the right password
	// is refused with 429 and Retry-After, for known and unknown emails alike.
	for _, email := range []string{u.Email, "nobody-" + u.Email} {
		for i := range auth.LoginPerEmail.Max {
			resp := fixture.Call(t, h, fixture.Request(t, "auth-login.json", login(email, "wrong password!", ""), ""))
			if resp.StatusCode != 401 {
				t.Fatalf("%s attempt %d: got %d, want 401", email, i+1, resp.StatusCode)
			}
		}
		resp := fixture.Call(t, h, fixture.Request(t, "auth-login.json", login(email, fixture.Password, ""), ""))
		if resp.StatusCode != 429 || fixture.ErrorOf(t, resp).Error.Code != "rate_limited" {
			t.Fatalf("%s after %d failures: got %d %s, want 429", email, auth.LoginPerEmail.Max, resp.StatusCode, resp.Body)
		}
		if ra := resp.Headers["Retry-After"]; ra == "" || ra == "0" {
			t.Errorf("Retry-After: got %q, want seconds", ra)
		}
	}
	if n := e.Sessions(t, u.ID); n != 0 {
		t.Errorf("sessions: got %d, want 0", n)
	}

	// Per source address, whatever the email.
	v := e.User(t, true)
	for range auth.LoginPerIP.Max {
		if _, err := e.Store.Hit(ctx, auth.LimitLoginIP("198.51.100.9"), auth.LoginPerIP); err != nil {
			t.Fatal(err)
		}
	}
	req := fixture.Request(t, "auth-login.json", login(v.Email, fixture.Password, ""), "")
	req.RequestContext.HTTP.SourceIP = "198.51.100.9"
	if resp := fixture.Call(t, h, req); resp.StatusCode != 429 || resp.Headers["Retry-After"] == "" {
		t.Errorf("from a limited address: got %d %v, want 429 with Retry-After", resp.StatusCode, resp.Headers)
	}
	req.RequestContext.HTTP.SourceIP = "198.51.100.10"
	if resp := fixture.Call(t, h, req); resp.StatusCode != 200 {
		t.Errorf("from another address: got %d, want 200", resp.StatusCode)
	}
}

func TestLoginTwoFactor(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newLogin(identity.NewService(e.Store, nil, ""), false)
	u := e.User(t, true)
	secret, _, err := auth.NewTOTP(u.Email)
	if err != nil {
		t.Fatal(err)
	}
	codes, hashes := auth.NewRecoveryCodes(10)
	if _, err := e.Store.UpdateUser(ctx, u.ID, func(u *domain.User) error {
		u.TOTPSecret, u.TOTPEnabled, u.RecoveryCodes = secret, true, hashes
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	now, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	old, _ := totp.GenerateCode(secret, time.Now().Add(-5*time.Minute))
	next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	wrong := "000000"
	if wrong == now {
		wrong = "111111"
	}

	tests := []struct {
		name       string
		password   string
		code       string
		wantStatus int
		wantCode   string
	}{
		{"no code", fixture.Password, "", 401, "code_required"},
		{"wrong code", fixture.Password, wrong, 401, "invalid_code"},
		{"expired code", fixture.Password, old, 401, "invalid_code"},
		{"malformed code", fixture.Password, "12ab", 401, "invalid_code"},
		{"unknown recovery code", fixture.Password, "aaaa-bbbb-cccc", 401, "invalid_code"},
		{"right code, wrong password", "wrong password!", now, 401, "invalid_credentials"},
		{"current code", fixture.Password, now, 200, ""},
		{"the same code again (replay)", fixture.Password, now, 401, "invalid_code"},
		{"next code with spaces", fixture.Password, next[:3] + " " + next[3:], 200, ""},
		{"an older code after a newer one", fixture.Password, now, 401, "invalid_code"},
		{"recovery code", fixture.Password, strings.ToUpper(codes[3]), 200, ""},
		{"recovery code used up", fixture.Password, codes[3], 401, "invalid_code"},
		{"another recovery code", fixture.Password, strings.ReplaceAll(codes[7], "-", ""), 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.Sessions(t, u.ID)
			resp := fixture.Call(t, h, fixture.Request(t, "auth-login.json", login(u.Email, tt.password, tt.code), ""))
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status: got %d, want %d (%s)", resp.StatusCode, tt.wantStatus, resp.Body)
			}
			want := before
			if tt.wantStatus == 200 {
				want++
			} else if got := fixture.ErrorOf(t, resp).Error.Code; got != tt.wantCode {
				t.Errorf("code: got %s, want %s", got, tt.wantCode)
			}
			if n := e.Sessions(t, u.ID); n != want {
				t.Errorf("sessions: got %d, want %d", n, want)
			}
		})
	}
	if got := e.GetUser(t, u.ID).RecoveryCodes; len(got) != 8 {
		t.Errorf("recovery codes left: got %d, want 8", len(got))
	}
}

// BenchmarkLoginCost reports the DynamoDB calls and capacity of one
// successful sign-in (go test -run '^$' -bench LoginCost ./shared/identityhttp).
func BenchmarkLoginCost(b *testing.B) {
	e := fixture.New(b)
	h := newLogin(identity.NewService(e.Store, nil, ""), false)
	u := e.User(b, true)
	// A member of one account, as most users are.
	account := store.NewID()
	if err := e.Store.CreateAccount(ctx, domain.Account{ID: account, Name: "Acme", OwnerID: u.ID},
		domain.Membership{AccountID: account, UserID: u.ID, Email: u.Email, Role: domain.RoleOwner, Status: domain.StatusActive},
		domain.AuditEvent{AccountID: account, Action: domain.ActionAccountCreated}); err != nil {
		b.Fatal(err)
	}
	req := fixture.Request(b, "auth-login.json", login(u.Email, fixture.Password, ""), "")
	var calls, rcu, wcu float64
	ops := map[string]int{}
	for b.Loop() {
		c, rec := telemetry.WithRecorder(ctx)
		if resp, err := h(c, req); err != nil || resp.StatusCode != 200 {
			b.Fatalf("got %d %v", resp.StatusCode, err)
		}
		s := rec.Summary()
		calls, rcu, wcu = calls+float64(s.Calls), rcu+s.RCU, wcu+s.WCU
		for op, n := range s.ByOp {
			ops[op] += n
		}
	}
	n := float64(b.N)
	b.ReportMetric(calls/n, "ddbcalls/op")
	b.ReportMetric(rcu/n, "RCU/op")
	b.ReportMetric(wcu/n, "WCU/op")
	b.Logf("ops per sign-in: %v over %d", ops, b.N)
}
