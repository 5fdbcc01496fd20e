package identityhttp

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"roster/shared/api"
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
	h := newLogin(identity.NewService(e.Store), false)
	verified, unverified := e.User(t, true), e.User(t, false)
	// The verified user is a member of an account: its member list shows
	// the last login.
	account := store.NewID()
	if err := e.Store.CreateAccount(ctx, domain.Account{ID: account, Name: "Acme", OwnerID: verified.ID}, domain.Membership{AccountID: account, UserID: verified.ID, Email: verified.Email, Role: domain.RoleOwner, Status: domain.StatusActive}, domain.AuditEvent{AccountID: account, Action: domain.ActionAccountCreated}, store.Limit{}); err != nil {
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
	h := newLogin(identity.NewService(e.Store), false)
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

// TestLoginRateLimits: failures of one email from one address slow that
// address down with growing delays, but never the right password from
// another address; the email's ceiling (NIST's 100) holds new addresses
// only, not ones the email signed in from; each address has its own
// ceiling. The clock is pinned, so no window boundary can make it flaky.
func TestLoginRateLimits(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	h := newLogin(identity.NewService(e.Store.WithClock(clock)).WithClock(clock), false)
	u := e.User(t, true)
	try := func(email, password, ip string) api.Response {
		req := fixture.Request(t, "auth-login.json", login(email, password, ""), "")
		req.RequestContext.HTTP.SourceIP = ip
		return fixture.Call(t, h, req)
	}
	refusedFor := func(resp api.Response) int {
		if resp.StatusCode != 429 || fixture.ErrorOf(t, resp).Error.Code != "rate_limited" {
			return 0
		}
		n, _ := strconv.Atoi(resp.Headers["Retry-After"])
		return n
	}

	for _, email := range []string{u.Email, "nobody-" + u.Email} {
		attacker := "203.0.113.7"
		// Free failures, then a delay that doubles with each failure.
		for i := 1; i < auth.LoginFreeFailures; i++ {
			if resp := try(email, "wrong password!", attacker); resp.StatusCode != 401 {
				t.Fatalf("%s failure %d: got %d, want 401", email, i, resp.StatusCode)
			}
		}
		for want := 2; want <= 16; want *= 2 {
			if resp := try(email, "wrong password!", attacker); resp.StatusCode != 401 {
				t.Fatalf("%s failure before a %d s delay: got %d %s, want 401", email, want, resp.StatusCode, resp.Body)
			}
			if got := refusedFor(try(email, fixture.Password, attacker)); got != want {
				t.Fatalf("%s right after: got Retry-After %d, want 429 with %d", email, got, want)
			}
			now = now.Add(time.Duration(want) * time.Second)
		}
	}
	// The owner, from an address of their own, is not slowed down.
	if resp := try(u.Email, fixture.Password, "198.51.100.20"); resp.StatusCode != 200 {
		t.Fatalf("the right password from another address: got %d %s, want 200", resp.StatusCode, resp.Body)
	}

	// A success forgives its address's failures.
	now = now.Add(auth.LoginMaxDelay)
	if resp := try(u.Email, fixture.Password, "203.0.113.7"); resp.StatusCode != 200 {
		t.Fatalf("the attacker's address with the right password after the delay: got %d %s", resp.StatusCode, resp.Body)
	}
	if resp := try(u.Email, "wrong password!", "203.0.113.7"); resp.StatusCode != 401 {
		t.Errorf("a failure after a success: got %d, want 401 (no delay)", resp.StatusCode)
	}
	if resp := try(u.Email, fixture.Password, "203.0.113.7"); resp.StatusCode != 200 {
		t.Errorf("right password after one failure: got %d, want 200", resp.StatusCode)
	}

	// The email's ceiling: reached, it holds new addresses, not the one
	// that signed in before.
	for range auth.LoginPerEmail.Max {
		if _, err := e.Store.WithClock(clock).Hit(ctx, auth.LimitLoginEmail(u.Email), auth.LoginPerEmail); err != nil {
			t.Fatal(err)
		}
	}
	if got := refusedFor(try(u.Email, fixture.Password, "192.0.2.33")); got == 0 {
		t.Errorf("a new address past the email's ceiling: got through, want 429")
	}
	if resp := try(u.Email, fixture.Password, "198.51.100.20"); resp.StatusCode != 200 {
		t.Errorf("a known address past the email's ceiling: got %d %s, want 200", resp.StatusCode, resp.Body)
	}

	// Per source address, whatever the email.
	v := e.User(t, true)
	for range auth.LoginPerIP.Max {
		if _, err := e.Store.WithClock(clock).Hit(ctx, auth.LimitLoginIP("198.51.100.9"), auth.LoginPerIP); err != nil {
			t.Fatal(err)
		}
	}
	if got := refusedFor(try(v.Email, fixture.Password, "198.51.100.9")); got == 0 {
		t.Errorf("from an address past its ceiling: got through, want 429 with Retry-After")
	}
	if resp := try(v.Email, fixture.Password, "198.51.100.10"); resp.StatusCode != 200 {
		t.Errorf("from another address: got %d, want 200", resp.StatusCode)
	}
	if n := e.Sessions(t, v.ID); n != 1 {
		t.Errorf("sessions of the second user: got %d, want 1", n)
	}
}

func TestLoginTwoFactor(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newLogin(identity.NewService(e.Store), false)
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
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.Sessions(t, u.ID)
			// An address per case: these are the codes' rules, not the
			// growing delays of TestLoginRateLimits.
			req := fixture.Request(t, "auth-login.json", login(u.Email, tt.password, tt.code), "")
			req.RequestContext.HTTP.SourceIP = fmt.Sprintf("192.0.2.%d", i+1)
			resp := fixture.Call(t, h, req)
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
	h := newLogin(identity.NewService(e.Store), false)
	u := e.User(b, true)
	// A member of one account, as most users are.
	account := store.NewID()
	if err := e.Store.CreateAccount(ctx, domain.Account{ID: account, Name: "Acme", OwnerID: u.ID}, domain.Membership{AccountID: account, UserID: u.ID, Email: u.Email, Role: domain.RoleOwner, Status: domain.StatusActive}, domain.AuditEvent{AccountID: account, Action: domain.ActionAccountCreated}, store.Limit{}); err != nil {
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
