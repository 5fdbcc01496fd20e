package app

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/testenv"
)

func TestCatalog(t *testing.T) {
	h := newDocumentHandler(domain.CatalogJSON())
	req := testenv.Event(t, "permissions.json")

	resp := fixture.Call(t, h.Handle, req)
	if resp.StatusCode != 200 {
		t.Fatalf("status: got %d, want 200", resp.StatusCode)
	}
	// The body is the catalog the server itself enforces: every permission
	// the domain knows is listed, with the presets.
	got, err := domain.ParseCatalog([]byte(resp.Body))
	if err != nil {
		t.Fatalf("body is not a catalog: %v", err)
	}
	want := domain.DefaultCatalog()
	if len(got.Areas) != len(want.Areas) || len(got.Presets) != len(want.Presets) {
		t.Errorf("catalog: got %d areas %d presets, want %d and %d", len(got.Areas), len(got.Presets), len(want.Areas), len(want.Presets))
	}
	for _, a := range want.Areas {
		for _, p := range a.Permissions {
			if err := got.Validate(domain.PermissionSet{Granted: []string{p.Name}}); err != nil {
				t.Errorf("permission %s missing from the served catalog", p.Name)
			}
		}
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(resp.Body), &raw); err != nil || raw["areas"] == nil || raw["presets"] == nil {
		t.Errorf("body: got keys %v, want areas and presets", raw)
	}

	etag := resp.Headers["ETag"]
	if etag == "" {
		t.Fatal("no ETag")
	}
	tests := []struct {
		ifNoneMatch string
		want        int
	}{
		{etag, 304},
		{`"other", ` + etag, 304},
		{`"other"`, 200},
	}
	for _, tt := range tests {
		req.Headers = map[string]string{"if-none-match": tt.ifNoneMatch}
		resp := fixture.Call(t, h.Handle, req)
		if resp.StatusCode != tt.want {
			t.Errorf("If-None-Match %s: got %d, want %d", tt.ifNoneMatch, resp.StatusCode, tt.want)
		}
		if tt.want == 304 && resp.Body != "" {
			t.Errorf("304 with a body")
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	h := PasswordPolicy(Deps{})
	resp := fixture.Call(t, h, testenv.Event(t, "password-policy.json"))
	var got auth.PasswordPolicy
	fixture.Decode(t, resp, &got)
	if resp.StatusCode != 200 || got != auth.Policy() || resp.Headers["ETag"] == "" {
		t.Fatalf("got %d %+v (ETag %q), want 200 %+v with an ETag", resp.StatusCode, got, resp.Headers["ETag"], auth.Policy())
	}
	// The policy is the one the server applies: a password of the minimum
	// length passes, one character less does not.
	if err := auth.CheckPassword(strings.Repeat("q", got.MinLength), ""); err != nil {
		t.Errorf("a password of minLength: %v", err)
	}
	if err := auth.CheckPassword(strings.Repeat("q", got.MinLength-1), ""); err == nil {
		t.Errorf("a password one shorter than minLength passed")
	}
	if !strings.Contains(got.Hint, strconv.Itoa(got.MinLength)) {
		t.Errorf("hint %q does not state the minimum length", got.Hint)
	}
}
