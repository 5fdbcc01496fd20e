package identityhttp

import (
	"strings"
	"testing"

	"roster/shared/auth"
	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/testenv"
)

func TestResendVerification(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newResendVerification(e.Auth, identity.NewService(e.Store))
	u, verified := e.User(t, false), e.User(t, true)
	cookie := e.SignIn(t, u)

	resp := fixture.Call(t, h, fixture.Request(t, "me-verification.json", nil, cookie))
	if resp.StatusCode != 202 {
		t.Fatalf("got %d %s, want 202", resp.StatusCode, resp.Body)
	}
	e.SendMail(t)
	mails := testenv.MailTo(t, u.Email)
	if len(mails) != 1 || !strings.Contains(mails[0].Body.Text, "http://localhost:3000/verify#token=") {
		t.Fatalf("mails: got %+v, want one verify link", mails)
	}
	if n := e.Count(t, "TOKEN#"+auth.HashToken(fixture.TokenFromMail(t, u.Email))); n != 1 {
		t.Errorf("stored token: got %d, want 1", n)
	}

	tests := []struct {
		name       string
		cookie     string
		wantStatus int
		wantCode   string
	}{
		{"verified already", e.SignIn(t, verified), 409, "already_verified"},
		{"signed out", "", 401, "unauthenticated"},
	}
	for _, tt := range tests {
		resp := fixture.Call(t, h, fixture.Request(t, "me-verification.json", nil, tt.cookie))
		if got := fixture.ErrorOf(t, resp).Error.Code; resp.StatusCode != tt.wantStatus || got != tt.wantCode {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, resp.StatusCode, got, tt.wantStatus, tt.wantCode)
		}
	}
	if n := fixture.Mails(t, verified.Email); n != 0 {
		t.Errorf("mails to the verified user: got %d, want 0", n)
	}

	// Rate limited per user.
	for range auth.VerificationPerUser.Max - 1 {
		fixture.Call(t, h, fixture.Request(t, "me-verification.json", nil, cookie))
	}
	resp = fixture.Call(t, h, fixture.Request(t, "me-verification.json", nil, cookie))
	if resp.StatusCode != 429 || resp.Headers["Retry-After"] == "" {
		t.Errorf("past the limit: got %d %v, want 429 with Retry-After", resp.StatusCode, resp.Headers)
	}
	e.SendMail(t)
	if n := fixture.Mails(t, u.Email); n != auth.VerificationPerUser.Max {
		t.Errorf("mails: got %d, want %d", n, auth.VerificationPerUser.Max)
	}
}
