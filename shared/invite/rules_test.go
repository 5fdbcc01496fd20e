package invite

import (
	"strings"
	"testing"
	"time"

	"roster/shared/domain"
)

func TestParseCreate(t *testing.T) {
	cat := domain.DefaultCatalog()
	ps := func(n ...string) *domain.PermissionSet { return &domain.PermissionSet{Granted: n} }
	tests := []struct {
		name      string
		in        CreateInput
		wantCode  string
		wantEmail string
		wantPerms string
	}{
		{"normalized", CreateInput{Email: " Grace@Example.COM ", Role: "member", Permissions: ps("billing.manage", "billing.manage")}, "", "grace@example.com", "billing.manage,billing.view"},
		{"all", CreateInput{Email: "a@example.com", Role: "admin", Permissions: &domain.PermissionSet{All: true}}, "", "a@example.com", ""},
		{"empty email", CreateInput{Role: "member", Permissions: ps()}, "invalid_email", "", ""},
		{"display name form", CreateInput{Email: "Grace <g@example.com>", Role: "member", Permissions: ps()}, "invalid_email", "", ""},
		{"overlong", CreateInput{Email: strings.Repeat("a", 255) + "@example.com", Role: "member", Permissions: ps()}, "invalid_email", "", ""},
		{"control character in name", CreateInput{Email: "a@example.com", FirstName: "A\x00", Role: "member", Permissions: ps()}, "invalid_name", "", ""},
		{"owner", CreateInput{Email: "a@example.com", Role: "owner", Permissions: ps()}, "invalid_role", "", ""},
		{"no role", CreateInput{Email: "a@example.com", Permissions: ps()}, "invalid_role", "", ""},
		{"unknown permission", CreateInput{Email: "a@example.com", Role: "member", Permissions: ps("users.fly")}, "unknown_permission", "", ""},
		{"no permissions", CreateInput{Email: "a@example.com", Role: "member"}, "missing_permissions", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseCreate(tt.in, cat)
			got := ""
			if e := domain.AsError(err); e != nil {
				got = e.Code
			}
			if got != tt.wantCode {
				t.Fatalf("got %v, want %v", got, tt.wantCode)
			}
			if err == nil && (d.Email != tt.wantEmail || strings.Join(d.Permissions.Granted, ",") != tt.wantPerms) {
				t.Errorf("got %s %v, want %s %s", d.Email, d.Permissions.Granted, tt.wantEmail, tt.wantPerms)
			}
		})
	}
}

func TestCheckResend(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		inv       domain.Invitation
		now       time.Time
		wantCode  string
		wantRetry int
	}{
		{"just created", domain.Invitation{CreatedAt: t0, LastAttemptAt: t0}, t0.Add(10 * time.Second), "resend_too_soon", 50},
		{"after the interval", domain.Invitation{CreatedAt: t0, LastAttemptAt: t0}, t0.Add(60 * time.Second), "", 0},
		{"old item without lastAttemptAt", domain.Invitation{CreatedAt: t0}, t0.Add(time.Second), "resend_too_soon", 59},
		{"cap reached", domain.Invitation{CreatedAt: t0, LastAttemptAt: t0, ResendCount: 5}, t0.Add(time.Hour), "resend_limit", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.CheckResend(tt.inv, tt.now, DefaultResendInterval, DefaultMaxResends)
			e := domain.AsError(err)
			got, retry := "", 0
			if e != nil {
				got, retry = e.Code, e.RetryAfter
			}
			if got != tt.wantCode || retry != tt.wantRetry {
				t.Errorf("got %v (retry %d), want %v (retry %d)", got, retry, tt.wantCode, tt.wantRetry)
			}
		})
	}
}

func TestUsableAndView(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	inv := domain.Invitation{State: domain.InvitePending, ExpiresAt: t0, InviterName: "Ada Lovelace", InviterEmail: "ada@example.com"}
	tests := []struct {
		name      string
		state     string
		now       time.Time
		wantCode  string
		wantState string
	}{
		{"pending", domain.InvitePending, t0.Add(-time.Second), "", "pending"},
		{"expired at the second", domain.InvitePending, t0, "invitation_expired", "expired"},
		{"revoked", domain.InviteRevoked, t0.Add(-time.Hour), "invalid_token", "revoked"},
		{"accepted", domain.InviteAccepted, t0.Add(time.Hour), "invalid_token", "accepted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := inv
			i.State = tt.state
			got := ""
			if e := domain.AsError(domain.Usable(i, tt.now)); e != nil {
				got = e.Code
				if got == "invitation_expired" && !strings.Contains(e.Message, "ada@example.com") {
					t.Errorf("expired message does not say whom to ask: %q", e.Message)
				}
			}
			if got != tt.wantCode {
				t.Errorf("Usable: got %v, want %v", got, tt.wantCode)
			}
			if v := ViewOf(i, tt.now); v.State != tt.wantState {
				t.Errorf("ViewOf: got %v, want %v", v.State, tt.wantState)
			}
		})
	}
}

func TestCheckInviter(t *testing.T) {
	inv := domain.Invitation{Role: domain.RoleMember, Permissions: domain.PermissionSet{Granted: []string{"billing.view"}}}
	m := func(role domain.Role, status domain.MemberStatus, p ...string) domain.Membership {
		return domain.Membership{UserID: "u", Role: role, Status: status, Permissions: domain.PermissionSet{Granted: p}}
	}
	tests := []struct {
		name   string
		m      domain.Membership
		found  bool
		wantOK bool
	}{
		{"owner", m(domain.RoleOwner, domain.StatusActive), true, true},
		{"admin holding it", m(domain.RoleAdmin, domain.StatusActive, "users.manage", "billing.view"), true, true},
		{"lost billing.view", m(domain.RoleAdmin, domain.StatusActive, "users.manage"), true, false},
		{"lost users.manage", m(domain.RoleAdmin, domain.StatusActive, "billing.view"), true, false},
		{"deactivated", m(domain.RoleAdmin, domain.StatusDeactivated, "users.manage", "billing.view"), true, false},
		{"removed", domain.Membership{}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckInviter(domain.DefaultCatalog(), inv, tt.m, tt.found)
			if (err == nil) != tt.wantOK {
				t.Errorf("got %v, want ok %v", err, tt.wantOK)
			}
		})
	}
}
