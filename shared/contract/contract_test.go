package contract

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"roster/shared/api"
	"roster/shared/deploy"
	"roster/shared/domain"
)

func TestDocumentIsGenerated(t *testing.T) {
	want, err := YAML()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", Path))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from its generation: run make template", Path)
	}
}

func shared(t *testing.T) *Validator {
	t.Helper()
	v, err := Shared()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRoutesMatchDeclarations(t *testing.T) {
	var declared []string
	for _, f := range deploy.Functions {
		for _, r := range f.Routes {
			declared = append(declared, r.String())
		}
	}
	documented := shared(t).Routes()
	slices.Sort(declared)
	slices.Sort(documented)
	for _, r := range declared {
		if !slices.Contains(documented, r) {
			t.Errorf("%s is declared in shared/deploy but not in the document", r)
		}
	}
	for _, r := range documented {
		if !slices.Contains(declared, r) {
			t.Errorf("%s is in the document but no function serves it", r)
		}
	}
}

func TestEveryErrorCodeIsDocumentedWithItsStatus(t *testing.T) {
	doc := shared(t).doc
	enum := doc.Components.Schemas["ErrorCode"].Value.Enum
	for _, c := range domain.Codes() {
		if !slices.Contains(enum, any(c.Name)) {
			t.Errorf("code %s is not in ErrorCode", c.Name)
		}
		resp := doc.Components.Responses[errorStatuses[api.StatusOf(c.Kind)]]
		if resp == nil {
			t.Errorf("code %s: no response for status %d", c.Name, api.StatusOf(c.Kind))
			continue
		}
		narrowed := resp.Value.Content.Get("application/json").Schema.Value.Properties["error"].Value.AllOf[1].Value.Properties["code"].Value.Enum
		if !slices.Contains(narrowed, any(c.Name)) {
			t.Errorf("code %s is not listed under its status %d", c.Name, api.StatusOf(c.Kind))
		}
	}
}

// exchange is a health check and its answer, as the function gives them.
func exchange(status int, body string) (api.Request, api.Response) {
	req := api.Request{RouteKey: "GET /api/health", RawPath: "/api/health"}
	req.RequestContext.HTTP.Method = "GET"
	resp := api.Response{StatusCode: status, Headers: map[string]string{"Content-Type": "application/json"}, Body: body}
	return req, resp
}

func TestCheck(t *testing.T) {
	v := shared(t)
	login := func(body string, status int, answer string) (api.Request, api.Response) {
		req := api.Request{RouteKey: "POST /api/auth/login", Body: body,
			Headers: map[string]string{"origin": "http://localhost:3000", "content-type": "application/json"}}
		req.RequestContext.HTTP.Method = "POST"
		return req, api.Response{StatusCode: status, Headers: map[string]string{"Content-Type": "application/json"}, Body: answer}
	}
	profile := `{"user":{"id":"u","email":"a@example.com","firstName":"A","lastName":"B","emailVerified":true,"twoFactorEnabled":false}}`
	tests := []struct {
		name      string
		req       api.Request
		resp      api.Response
		violation bool
	}{
		{name: "documented answer", violation: false},
		{name: "undocumented field", violation: true},
		{name: "missing required field", violation: true},
		{name: "undocumented status", violation: true},
		{name: "code of another status", violation: true},
		{name: "documented refusal", violation: false},
		{name: "429 without Retry-After", violation: true},
		{name: "invalid request accepted", violation: true},
		{name: "invalid request refused", violation: false},
		{name: "valid request accepted", violation: false},
	}
	tests[0].req, tests[0].resp = exchange(200, `{"status":"ok"}`)
	tests[1].req, tests[1].resp = exchange(200, `{"status":"ok","database":"up"}`)
	tests[2].req, tests[2].resp = exchange(200, `{}`)
	tests[3].req, tests[3].resp = exchange(418, `{"status":"ok"}`)
	tests[4].req, tests[4].resp = exchange(503, `{"error":{"code":"stale_version","message":"m"}}`)
	tests[5].req, tests[5].resp = exchange(503, `{"error":{"code":"unavailable","message":"m"}}`)
	tests[6].req, tests[6].resp = login(`{"email":"a@example.com","password":"p"}`, 429, `{"error":{"code":"rate_limited","message":"m"}}`)
	tests[7].req, tests[7].resp = login(`{"email":"a@example.com","password":"p","admin":true}`, 200, profile)
	tests[8].req, tests[8].resp = login(`{"email":"a@example.com","password":"p","admin":true}`, 400, `{"error":{"code":"unknown_field","message":"m","field":"admin"}}`)
	tests[9].req, tests[9].resp = login(`{"email":"a@example.com","password":"p"}`, 200, profile)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := v.Check(context.Background(), tt.req, tt.resp)
			if got := errors.Is(err, ErrViolation); got != tt.violation {
				t.Fatalf("violation = %v, want %v (%v)", got, tt.violation, err)
			}
		})
	}
}

// TestEveryOperationButTheOpenOnesHasA4xx stands in for Redocly's
// operation-4xx-response rule, turned off (redocly.yaml) for the
// operations that take no input and no session.
func TestEveryOperationButTheOpenOnesHasA4xx(t *testing.T) {
	open := []string{"GET /api/health", "GET /api/permissions", "GET /api/auth/password-policy",
		"GET /.well-known/jwks.json", "GET /.well-known/openid-configuration"}
	v := shared(t)
	for key, route := range v.routes {
		has := false
		for status := range route.Operation.Responses.Map() {
			has = has || status[0] == '4'
		}
		if has == slices.Contains(open, key) {
			t.Errorf("%s: has a 4xx answer = %v", key, has)
		}
	}
}
