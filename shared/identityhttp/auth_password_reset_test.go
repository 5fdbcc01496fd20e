package identityhttp

import (
	"strings"
	"testing"

	"roster/shared/auth"
	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/testenv"
)

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newPasswordReset(identity.NewService(e.Store))
	u := e.User(t, true)
	unknown := "nobody-" + u.Email

	known := fixture.Call(t, h, fixture.Request(t, "auth-password-reset.json", map[string]string{"email": strings.ToUpper(u.Email)}, ""))
	other := fixture.Call(t, h, fixture.Request(t, "auth-password-reset.json", map[string]string{"email": unknown}, ""))
	// No enumeration: the same status and body for both.
	if known.StatusCode != 202 || other.StatusCode != 202 || known.Body != other.Body {
		t.Fatalf("got %d %s and %d %s, want the same 202", known.StatusCode, known.Body, other.StatusCode, other.Body)
	}
	e.SendMail(t)
	mails := testenv.MailTo(t, u.Email)
	if len(mails) != 1 || !strings.Contains(mails[0].Body.Text, "http://localhost:3000/reset#token=") {
		t.Fatalf("mails: got %+v, want one reset link", mails)
	}
	token := fixture.TokenFromMail(t, u.Email)
	if n := e.Count(t, "TOKEN#"+auth.HashToken(token)); n != 1 {
		t.Errorf("stored reset tokens: got %d, want 1", n)
	}
	if n := fixture.Mails(t, unknown); n != 0 {
		t.Errorf("mails to an unknown address: got %d, want 0", n)
	}

	if resp := fixture.Call(t, h, fixture.Request(t, "auth-password-reset.json", map[string]string{"email": "nope"}, "")); resp.StatusCode != 400 || fixture.ErrorOf(t, resp).Error.Code != "invalid_email" {
		t.Errorf("malformed email: got %d %s, want 400 invalid_email", resp.StatusCode, resp.Body)
	}

	// Rate limited per email, known or not, with the same answer.
	for _, email := range []string{u.Email, unknown} {
		var last int
		var retry string
		for range auth.ResetPerEmail.Max + 1 {
			resp := fixture.Call(t, h, fixture.Request(t, "auth-password-reset.json", map[string]string{"email": email}, ""))
			last, retry = resp.StatusCode, resp.Headers["Retry-After"]
		}
		if last != 429 || retry == "" {
			t.Errorf("%s past the limit: got %d Retry-After %q, want 429 with Retry-After", email, last, retry)
		}
	}
	e.SendMail(t)
	if n := len(testenv.MailTo(t, u.Email)); n != auth.ResetPerEmail.Max {
		t.Errorf("mails: got %d, want %d", n, auth.ResetPerEmail.Max)
	}
}
