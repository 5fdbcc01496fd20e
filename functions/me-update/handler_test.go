package main

import (
	"strings"
	"testing"

	"roster/shared/auth/authtest"
	"roster/shared/domain"
)

func TestUpdate(t *testing.T) {
	t.Parallel()
	e := authtest.New(t)
	h := NewHandler(e.Auth, e.Store)
	u, unverified := e.User(t, true), e.User(t, false)
	cookie := e.SignIn(t, u)

	refusals := []struct {
		name       string
		cookie     string
		body       any
		wantStatus int
		wantCode   string
		wantField  string
	}{
		{"empty first name", cookie, map[string]any{"firstName": " "}, 400, "invalid_name", "firstName"},
		{"overlong last name", cookie, map[string]any{"lastName": strings.Repeat("é", 101)}, 400, "invalid_name", "lastName"},
		{"nothing to change", cookie, map[string]any{}, 400, "empty_change", ""},
		{"the email is not editable", cookie, map[string]any{"email": "x@example.com"}, 400, "unknown_field", "email"},
		{"wrong type", cookie, map[string]any{"firstName": 1}, 400, "invalid_body", "firstName"},
		{"unverified", e.SignIn(t, unverified), map[string]any{"firstName": "Eve"}, 403, "email_unverified", ""},
		{"signed out", "", map[string]any{"firstName": "Eve"}, 401, "unauthenticated", ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			resp := authtest.Call(t, h.Handle, authtest.Request(t, "me-update.json", tt.body, tt.cookie))
			b := authtest.ErrorOf(t, resp)
			if resp.StatusCode != tt.wantStatus || b.Error.Code != tt.wantCode || b.Error.Field != tt.wantField {
				t.Errorf("got %d %+v, want %d %s on %q", resp.StatusCode, b.Error, tt.wantStatus, tt.wantCode, tt.wantField)
			}
		})
	}
	if got := e.GetUser(t, u.ID); got.Version != u.Version {
		t.Fatalf("version after refusals: got %d, want %d", got.Version, u.Version)
	}
	if got := e.GetUser(t, unverified.ID); got.FirstName != "Ada" {
		t.Fatalf("unverified user's name changed")
	}

	resp := authtest.Call(t, h.Handle, authtest.Request(t, "me-update.json", map[string]any{"lastName": "  King "}, cookie))
	var p domain.Profile
	authtest.Decode(t, resp, &p)
	if resp.StatusCode != 200 || p.FirstName != "Ada" || p.LastName != "King" {
		t.Fatalf("got %d %+v, want Ada King", resp.StatusCode, p)
	}
	if got := e.GetUser(t, u.ID); got.LastName != "King" || got.FirstName != "Ada" {
		t.Errorf("stored: got %s %s, want Ada King", got.FirstName, got.LastName)
	}
}
