package identityhttp

import (
	"context"
	"strings"
	"testing"

	"roster/shared/fixture"
	"roster/shared/identity"
)

func TestLogout(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	h := newLogout(e.Auth, identity.NewService(e.Store))
	u := e.User(t, true)
	cookie, other := e.SignIn(t, u), e.SignIn(t, u)

	tests := []struct {
		name   string
		cookie string
	}{
		{"no cookie", ""},
		{"tampered cookie", cookie[:len(cookie)-2] + "xx"},
		{"malformed cookie", "roster_session=garbage"},
		{"signed in", cookie},
		{"signed out already", cookie},
	}
	for _, tt := range tests {
		resp := fixture.Call(t, h, fixture.Request(t, "auth-logout.json", nil, tt.cookie))
		if resp.StatusCode != 204 {
			t.Errorf("%s: got %d, want 204", tt.name, resp.StatusCode)
		}
		if len(resp.Cookies) != 1 || !strings.Contains(resp.Cookies[0], "Max-Age=0") || fixture.SessionCookie(t, resp) != "" {
			t.Errorf("%s: got cookies %v, want the session cookie cleared", tt.name, resp.Cookies)
		}
	}
	// The session is gone at once; the user's other session is untouched.
	if _, err := e.Auth.Session(context.Background(), fixture.Request(t, "me.json", nil, cookie)); err == nil {
		t.Error("signed-out cookie still authenticates")
	}
	if _, err := e.Auth.Session(context.Background(), fixture.Request(t, "me.json", nil, other)); err != nil {
		t.Errorf("other session: got %v, want it to work", err)
	}
	if n := e.Sessions(t, u.ID); n != 1 {
		t.Errorf("sessions: got %d, want 1", n)
	}
}
