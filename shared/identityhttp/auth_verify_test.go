package identityhttp

import (
	"testing"
	"time"

	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/identity"
	"roster/shared/store"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newVerify(e.Auth, identity.NewService(e.Store))
	u := e.User(t, false)
	cookie := e.SignIn(t, u) // signed in before verifying
	put := func(kind string, expires time.Time) string {
		token, hash := auth.NewToken()
		if err := e.Store.PutToken(ctx, store.Token{Hash: hash, Kind: kind, UserID: u.ID, ExpiresAt: expires}); err != nil {
			t.Fatal(err)
		}
		return token
	}
	good := put(store.TokenVerify, time.Now().Add(time.Hour))
	expired := put(store.TokenVerify, time.Now().Add(-time.Second))
	reset := put(store.TokenReset, time.Now().Add(time.Hour))
	unknown, _ := auth.NewToken()

	refusals := []struct {
		name       string
		body       any
		wantStatus int
		wantCode   string
	}{
		{"malformed token", map[string]string{"token": "abc"}, 404, "invalid_token"},
		{"token with a path in it", map[string]string{"token": "../" + good}, 404, "invalid_token"},
		{"unknown token", map[string]string{"token": unknown}, 404, "invalid_token"},
		{"a reset token", map[string]string{"token": reset}, 404, "invalid_token"},
		{"expired token", map[string]string{"token": expired}, 410, "token_expired"},
		{"no token", map[string]string{}, 404, "invalid_token"},
		{"not JSON", "token=" + good, 400, "invalid_json"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			resp := fixture.Call(t, h, fixture.Request(t, "auth-verify.json", tt.body, ""))
			if got := fixture.ErrorOf(t, resp).Error.Code; resp.StatusCode != tt.wantStatus || got != tt.wantCode {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, got, tt.wantStatus, tt.wantCode)
			}
		})
	}
	if got := e.GetUser(t, u.ID); got.EmailVerified || got.Version != u.Version {
		t.Fatalf("user after refusals: got verified=%v version=%d, want unchanged", got.EmailVerified, got.Version)
	}

	// From the browser signed in before verifying (its cookie).
	resp := fixture.Call(t, h, fixture.Request(t, "auth-verify.json", map[string]string{"token": good}, cookie))
	if resp.StatusCode != 200 {
		t.Fatalf("verify: got %d, want 200 (%s)", resp.StatusCode, resp.Body)
	}
	var got struct{ User domain.Profile }
	fixture.Decode(t, resp, &got)
	if !got.User.EmailVerified || !e.GetUser(t, u.ID).EmailVerified {
		t.Errorf("verified: got %+v, want true", got.User)
	}
	if n := e.Count(t, "TOKEN#"+auth.HashToken(good)); n != 0 {
		t.Errorf("used token still stored: %d", n)
	}
	// The session opened before verification goes on, verified.
	if sess, err := e.Auth.Verified(ctx, fixture.Request(t, "me.json", nil, cookie)); err != nil || !sess.Verified {
		t.Errorf("session after verification: got %+v, %v", sess, err)
	}
	// The link works once.
	resp = fixture.Call(t, h, fixture.Request(t, "auth-verify.json", map[string]string{"token": good}, ""))
	if resp.StatusCode != 404 || fixture.ErrorOf(t, resp).Error.Code != "invalid_token" {
		t.Errorf("reused link: got %d %s, want 404 invalid_token", resp.StatusCode, resp.Body)
	}
}
