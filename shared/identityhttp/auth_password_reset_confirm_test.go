package identityhttp

import (
	"strings"
	"testing"
	"time"

	"roster/shared/auth"
	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/store"
)

func TestResetConfirm(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newPasswordResetConfirm(identity.NewService(e.Store))
	u := e.User(t, false)
	cookies := []string{e.SignIn(t, u), e.SignIn(t, u)}
	put := func(kind string, expires time.Time) string {
		token, hash := auth.NewToken()
		if err := e.Store.PutToken(ctx, store.Token{Hash: hash, Kind: kind, UserID: u.ID, ExpiresAt: expires}); err != nil {
			t.Fatal(err)
		}
		return token
	}
	good := put(store.TokenReset, time.Now().Add(auth.ResetTTL))
	expired := put(store.TokenReset, time.Now().Add(-time.Minute))
	verify := put(store.TokenVerify, time.Now().Add(time.Hour))
	unknown, _ := auth.NewToken()
	const newPassword = "a brand new passphrase"
	body := func(token, password string) map[string]string {
		return map[string]string{"token": token, "password": password}
	}

	refusals := []struct {
		name       string
		body       any
		wantStatus int
		wantCode   string
	}{
		{"short password", body(good, "short"), 400, "weak_password"},
		{"common password", body(good, "password123"), 400, "weak_password"},
		{"the email as password", body(good, u.Email), 400, "weak_password"},
		{"overlong password", body(good, strings.Repeat("x", 200)), 400, "invalid_password"},
		{"malformed token", body("xyz", newPassword), 404, "invalid_token"},
		{"unknown token", body(unknown, newPassword), 404, "invalid_token"},
		{"a verification token", body(verify, newPassword), 404, "invalid_token"},
		{"expired token", body(expired, newPassword), 410, "token_expired"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			resp := fixture.Call(t, h, fixture.Request(t, "auth-password-reset-confirm.json", tt.body, ""))
			if got := fixture.ErrorOf(t, resp).Error.Code; resp.StatusCode != tt.wantStatus || got != tt.wantCode {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, got, tt.wantStatus, tt.wantCode)
			}
		})
	}
	if got := e.GetUser(t, u.ID); got.Version != u.Version || got.PasswordHash != u.PasswordHash {
		t.Fatalf("user changed by refusals")
	}
	if n := e.Sessions(t, u.ID); n != 2 {
		t.Fatalf("sessions after refusals: got %d, want 2", n)
	}

	resp := fixture.Call(t, h, fixture.Request(t, "auth-password-reset-confirm.json", body(good, newPassword), ""))
	if resp.StatusCode != 204 {
		t.Fatalf("confirm: got %d %s, want 204", resp.StatusCode, resp.Body)
	}
	got := e.GetUser(t, u.ID)
	if ok, _ := auth.VerifyPassword(newPassword, got.PasswordHash); !ok {
		t.Error("new password does not verify")
	}
	if ok, _ := auth.VerifyPassword(fixture.Password, got.PasswordHash); ok {
		t.Error("old password still verifies")
	}
	if !got.EmailVerified {
		t.Error("following the reset link did not verify the email")
	}
	// Every session ended.
	if n := e.Sessions(t, u.ID); n != 0 {
		t.Errorf("sessions after reset: got %d, want 0", n)
	}
	for _, c := range cookies {
		if _, err := e.Auth.Session(ctx, fixture.Request(t, "me.json", nil, c)); err == nil {
			t.Error("a session survived the reset")
		}
	}
	// The link works once.
	resp = fixture.Call(t, h, fixture.Request(t, "auth-password-reset-confirm.json", body(good, "yet another passphrase"), ""))
	if resp.StatusCode != 404 || fixture.ErrorOf(t, resp).Error.Code != "invalid_token" {
		t.Errorf("reused link: got %d %s, want 404 invalid_token", resp.StatusCode, resp.Body)
	}
}
