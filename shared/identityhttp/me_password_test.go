package identityhttp

import (
	"context"
	"testing"

	"roster/shared/auth"
	"roster/shared/fixture"
	"roster/shared/identity"
)

func TestChangePassword(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newChangePassword(e.Auth, identity.NewService(e.Store))
	u := e.User(t, true)
	cookie, other1, other2 := e.SignIn(t, u), e.SignIn(t, u), e.SignIn(t, u)
	const newPassword = "a completely new passphrase"
	body := func(cur, next string) map[string]string {
		return map[string]string{"currentPassword": cur, "newPassword": next}
	}

	refusals := []struct {
		name      string
		body      any
		wantCode  string
		wantField string
	}{
		{"wrong current password", body("not my password", newPassword), "wrong_password", "currentPassword"},
		{"short new password", body(fixture.Password, "short"), "weak_password", "newPassword"},
		{"common new password", body(fixture.Password, "qwertyuiop"), "weak_password", "newPassword"},
		{"the email as password", body(fixture.Password, u.Email), "weak_password", "newPassword"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			resp := fixture.Call(t, h, fixture.Request(t, "me-password.json", tt.body, cookie))
			b := fixture.ErrorOf(t, resp)
			if resp.StatusCode != 400 || b.Error.Code != tt.wantCode || b.Error.Field != tt.wantField {
				t.Errorf("got %d %+v, want 400 %s on %s", resp.StatusCode, b.Error, tt.wantCode, tt.wantField)
			}
		})
	}
	if got := e.GetUser(t, u.ID); got.Version != u.Version {
		t.Fatalf("user changed by refusals")
	}
	if n := e.Sessions(t, u.ID); n != 3 {
		t.Fatalf("sessions after refusals: got %d, want 3", n)
	}

	resp := fixture.Call(t, h, fixture.Request(t, "me-password.json", body(fixture.Password, newPassword), cookie))
	if resp.StatusCode != 204 {
		t.Fatalf("got %d %s, want 204", resp.StatusCode, resp.Body)
	}
	if ok, _ := auth.VerifyPassword(newPassword, e.GetUser(t, u.ID).PasswordHash); !ok {
		t.Error("new password does not verify")
	}
	// This session goes on; the others ended.
	ctx := context.Background()
	if _, err := e.Auth.Session(ctx, fixture.Request(t, "me.json", nil, cookie)); err != nil {
		t.Errorf("own session: got %v, want it to go on", err)
	}
	for _, c := range []string{other1, other2} {
		if _, err := e.Auth.Session(ctx, fixture.Request(t, "me.json", nil, c)); err == nil {
			t.Error("another session survived the password change")
		}
	}
}

func TestChangePasswordRateLimit(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newChangePassword(e.Auth, identity.NewService(e.Store))
	u := e.User(t, true)
	cookie := e.SignIn(t, u)
	body := map[string]string{"currentPassword": "guess", "newPassword": "a completely new passphrase"}
	for range auth.SecondFactorPerUser.Max {
		fixture.Call(t, h, fixture.Request(t, "me-password.json", body, cookie))
	}
	body["currentPassword"] = fixture.Password
	resp := fixture.Call(t, h, fixture.Request(t, "me-password.json", body, cookie))
	if resp.StatusCode != 429 || resp.Headers["Retry-After"] == "" {
		t.Errorf("got %d %v, want 429 with Retry-After", resp.StatusCode, resp.Headers)
	}
	if got := e.GetUser(t, u.ID); got.Version != u.Version {
		t.Errorf("password changed past the limit")
	}
}
