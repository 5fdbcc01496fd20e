package identityhttp

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/identity"
)

func TestConfirm(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newConfirmTwoFactor(e.Auth, identity.NewService(e.Store))
	u := e.User(t, true)
	cookie := e.SignIn(t, u)
	confirm := func(code string) (int, string) {
		resp := fixture.Call(t, h, fixture.Request(t, "me-2fa-confirm.json", map[string]string{"code": code}, cookie))
		if resp.StatusCode != 200 {
			return resp.StatusCode, fixture.ErrorOf(t, resp).Error.Code
		}
		return 200, resp.Body
	}
	if status, code := confirm("123456"); status != 409 || code != "no_pending_enrolment" {
		t.Errorf("without enrolment: got %d %s, want 409 no_pending_enrolment", status, code)
	}

	secret, _, _ := auth.NewTOTP(u.Email)
	pending, err := e.Store.UpdateUser(context.Background(), u.ID, func(u *domain.User) error { u.TOTPSecret = secret; return nil })
	if err != nil {
		t.Fatal(err)
	}
	now, _ := totp.GenerateCode(secret, time.Now())
	old, _ := totp.GenerateCode(secret, time.Now().Add(-10*time.Minute))
	wrong := "000000"
	if now == wrong {
		wrong = "999999"
	}
	for _, code := range []string{wrong, old, "", "abcdef"} {
		if status, got := confirm(code); status != 400 || got != "invalid_code" {
			t.Errorf("code %q: got %d %s, want 400 invalid_code", code, status, got)
		}
	}
	if got := e.GetUser(t, u.ID); got.TOTPEnabled || got.Version != pending.Version {
		t.Fatalf("user changed by wrong codes")
	}

	status, body := confirm(now)
	if status != 200 {
		t.Fatalf("right code: got %d %s", status, body)
	}
	var got struct {
		RecoveryCodes []string `json:"recoveryCodes"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	stored := e.GetUser(t, u.ID)
	if !stored.TOTPEnabled || len(got.RecoveryCodes) != identity.RecoveryCodes || len(stored.RecoveryCodes) != identity.RecoveryCodes {
		t.Fatalf("got enabled=%v %d codes, %d stored, want on and %d", stored.TOTPEnabled, len(got.RecoveryCodes), len(stored.RecoveryCodes), identity.RecoveryCodes)
	}
	seen := map[string]bool{}
	for i, c := range got.RecoveryCodes {
		if seen[c] {
			t.Errorf("recovery code %s twice", c)
		}
		seen[c] = true
		if stored.RecoveryCodes[i] == c || auth.MatchRecoveryCode(c, stored.RecoveryCodes) != i {
			t.Errorf("recovery code %d: not stored as its hash", i)
		}
	}
	if status, code := confirm(now); status != 409 || code != "two_factor_enabled" {
		t.Errorf("confirming again: got %d %s, want 409 two_factor_enabled", status, code)
	}
}
