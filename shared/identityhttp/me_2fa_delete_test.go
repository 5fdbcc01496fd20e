package identityhttp

import (
	"context"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/identity"
)

func TestDisable(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newDeleteTwoFactor(e.Auth, identity.NewService(e.Store))
	enrolled := func() (domain.User, string, []string) {
		u := e.User(t, true)
		secret, _, _ := auth.NewTOTP(u.Email)
		codes, hashes := auth.NewRecoveryCodes(10)
		u, err := e.Store.UpdateUser(context.Background(), u.ID, func(u *domain.User) error {
			u.TOTPSecret, u.TOTPEnabled, u.RecoveryCodes = secret, true, hashes
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return u, secret, codes
	}
	u, _, codes := enrolled()
	cookie := e.SignIn(t, u)
	del := func(cookie string, body any) (int, string) {
		resp := fixture.Call(t, h, fixture.Request(t, "me-2fa-delete.json", body, cookie))
		if resp.StatusCode == 204 {
			return 204, ""
		}
		return resp.StatusCode, fixture.ErrorOf(t, resp).Error.Code
	}
	refusals := []struct {
		name       string
		body       any
		wantStatus int
		wantCode   string
	}{
		{"no proof", map[string]string{}, 400, "proof_required"},
		{"both proofs", map[string]string{"password": fixture.Password, "code": "123456"}, 400, "proof_required"},
		{"wrong password", map[string]string{"password": "nope"}, 400, "wrong_password"},
		{"wrong code", map[string]string{"code": "000000"}, 400, "invalid_code"},
		{"unknown recovery code", map[string]string{"code": "aaaa-bbbb-cccc"}, 400, "invalid_code"},
	}
	for _, tt := range refusals {
		if status, code := del(cookie, tt.body); status != tt.wantStatus || code != tt.wantCode {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, status, code, tt.wantStatus, tt.wantCode)
		}
	}
	if got := e.GetUser(t, u.ID); !got.TOTPEnabled || got.Version != u.Version {
		t.Fatalf("user changed by refusals")
	}

	if status, code := del(cookie, map[string]string{"code": codes[0]}); status != 204 {
		t.Fatalf("with a recovery code: got %d %s, want 204", status, code)
	}
	if got := e.GetUser(t, u.ID); got.TOTPEnabled || got.TOTPSecret != "" || len(got.RecoveryCodes) != 0 {
		t.Errorf("after removal: got %+v, want 2FA off and no secrets", got)
	}
	if status, code := del(cookie, map[string]string{"password": fixture.Password}); status != 409 || code != "two_factor_disabled" {
		t.Errorf("off already: got %d %s, want 409 two_factor_disabled", status, code)
	}

	v, vsecret, _ := enrolled()
	now, _ := totp.GenerateCode(vsecret, time.Now())
	if status, code := del(e.SignIn(t, v), map[string]string{"code": now}); status != 204 {
		t.Errorf("with a TOTP code: got %d %s, want 204", status, code)
	}
	w, _, _ := enrolled()
	if status, code := del(e.SignIn(t, w), map[string]string{"password": fixture.Password}); status != 204 {
		t.Errorf("with the password: got %d %s, want 204", status, code)
	}
}
