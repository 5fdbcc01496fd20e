package identityhttp

import (
	"context"
	"net/url"
	"testing"

	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/identity"
)

func TestEnrol(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newStartTwoFactor(e.Auth, identity.NewService(e.Store))
	u, unverified := e.User(t, true), e.User(t, false)
	cookie := e.SignIn(t, u)

	refusals := []struct {
		name       string
		cookie     string
		body       any
		wantStatus int
		wantCode   string
	}{
		{"wrong password", cookie, map[string]string{"password": "nope"}, 400, "wrong_password"},
		{"no password", cookie, map[string]string{}, 400, "wrong_password"},
		{"unverified", e.SignIn(t, unverified), map[string]string{"password": fixture.Password}, 403, "email_unverified"},
		{"signed out", "", map[string]string{"password": fixture.Password}, 401, "unauthenticated"},
	}
	for _, tt := range refusals {
		resp := fixture.Call(t, h, fixture.Request(t, "me-2fa.json", tt.body, tt.cookie))
		if got := fixture.ErrorOf(t, resp).Error.Code; resp.StatusCode != tt.wantStatus || got != tt.wantCode {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, resp.StatusCode, got, tt.wantStatus, tt.wantCode)
		}
	}
	if got := e.GetUser(t, u.ID); got.Version != u.Version || got.TOTPSecret != "" {
		t.Fatalf("user changed by refusals")
	}

	var first struct{ Secret, OtpauthURL string }
	for i := range 2 { // starting again replaces the pending secret
		resp := fixture.Call(t, h, fixture.Request(t, "me-2fa.json", map[string]string{"password": fixture.Password}, cookie))
		var got struct {
			Secret     string `json:"secret"`
			OtpauthURL string `json:"otpauthUrl"`
		}
		fixture.Decode(t, resp, &got)
		if resp.StatusCode != 200 || len(got.Secret) < 16 {
			t.Fatalf("enrol: got %d %s", resp.StatusCode, resp.Body)
		}
		p, err := url.Parse(got.OtpauthURL)
		if err != nil || p.Scheme != "otpauth" || p.Host != "totp" || p.Query().Get("secret") != got.Secret || p.Query().Get("issuer") != "Roster" {
			t.Errorf("otpauthUrl: got %q", got.OtpauthURL)
		}
		stored := e.GetUser(t, u.ID)
		if stored.TOTPSecret != got.Secret || stored.TOTPEnabled {
			t.Errorf("stored: got secret %q enabled %v, want the pending secret", stored.TOTPSecret, stored.TOTPEnabled)
		}
		if i == 1 && got.Secret == first.Secret {
			t.Error("a second enrolment kept the first secret")
		}
		first.Secret = got.Secret
	}

	if _, err := e.Store.UpdateUser(context.Background(), u.ID, func(u *domain.User) error { u.TOTPEnabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	resp := fixture.Call(t, h, fixture.Request(t, "me-2fa.json", map[string]string{"password": fixture.Password}, cookie))
	if resp.StatusCode != 409 || fixture.ErrorOf(t, resp).Error.Code != "two_factor_enabled" {
		t.Errorf("enabled already: got %d %s, want 409 two_factor_enabled", resp.StatusCode, resp.Body)
	}
	if got := e.GetUser(t, u.ID).TOTPSecret; got != first.Secret {
		t.Error("the enabled secret was replaced")
	}
}
