package hostauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"roster/shared/hostauth"
	"roster/shared/tokens"
)

var ctx = context.Background()

const issuerURL = "https://roster.example.com"

func key(t *testing.T) tokens.Key {
	t.Helper()
	k, err := tokens.LocalKey(filepath.Join(t.TempDir(), "k.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func issuer(t *testing.T, audience string, keys ...tokens.Key) *tokens.Issuer {
	t.Helper()
	i, err := tokens.NewIssuer(issuerURL, audience, keys)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// jwksServer serves the JWKS of *published (which the test may switch) and
// counts the fetches.
func jwksServer(t *testing.T, published **tokens.Issuer) (string, *atomic.Int32) {
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		_ = json.NewEncoder(w).Encode((*published).JWKS())
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &fetches
}

func issue(t *testing.T, i *tokens.Issuer, c tokens.Claims) string {
	t.Helper()
	tok, _, err := i.Issue(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestVerifyAndAuthorize(t *testing.T) {
	t.Parallel()
	k := key(t)
	roster := issuer(t, "billing", k)
	url, fetches := jwksServer(t, &roster)
	now := time.Now()
	v := hostauth.New(hostauth.Config{Issuer: issuerURL, Audience: "billing", JWKSURL: url, Now: func() time.Time { return now }})
	member := tokens.Claims{Account: "a1", Role: "member", Permissions: []string{"billing.view"}, Projects: []string{"p1"}}
	member.Subject = "u1"
	good := issue(t, roster, member)
	owner := tokens.Claims{Account: "a1", Role: "owner", Permissions: []string{"all"}}
	all := issue(t, roster, owner)

	c, err := v.Verify(ctx, good)
	if err != nil || c.Subject != "u1" || c.Account != "a1" || !c.Can("billing.view") || c.Can("billing.manage") || !c.InProject("p1") {
		t.Fatalf("verify: got %+v, %v", c, err)
	}
	tests := []struct {
		name       string
		token      string
		account    string
		permission string
		want       error
	}{
		{"member with the permission", good, "a1", "billing.view", nil},
		{"member without it", good, "a1", "billing.manage", hostauth.ErrForbidden},
		{"another account", good, "a2", "billing.view", hostauth.ErrForbidden},
		{"all", all, "a1", "billing.manage", nil},
		{"membership only", good, "a1", "", nil},
		{"another audience", issue(t, issuer(t, "crm", k), member), "a1", "", hostauth.ErrInvalidToken},
		{"another issuer's key", issue(t, issuer(t, "billing", key(t)), member), "a1", "", hostauth.ErrInvalidToken},
		{"not a token", "abc.def.ghi", "a1", "", hostauth.ErrInvalidToken},
		{"empty", "", "a1", "", hostauth.ErrInvalidToken},
	}
	for _, tt := range tests {
		if _, err := v.Authorize(ctx, tt.token, tt.account, tt.permission); !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
	// The keys were fetched once for all of that: the unknown key's
	// refetch waits RefetchEvery.
	if n := fetches.Load(); n != 1 {
		t.Errorf("JWKS fetches: got %d, want 1", n)
	}
	// Expired (past the leeway).
	now = now.Add(tokens.TTL + time.Minute)
	if _, err := v.Verify(ctx, good); !errors.Is(err, hostauth.ErrInvalidToken) {
		t.Errorf("expired: got %v, want ErrInvalidToken", err)
	}
}

// TestRotationRefetches: a token signed with a key published after the
// verifier fetched the keys makes it fetch them again.
func TestRotationRefetches(t *testing.T) {
	t.Parallel()
	old, next := key(t), key(t)
	roster := issuer(t, "billing", old)
	url, fetches := jwksServer(t, &roster)
	now := time.Now()
	v := hostauth.New(hostauth.Config{Issuer: issuerURL, Audience: "billing", JWKSURL: url, Now: func() time.Time { return now }})
	if _, err := v.Verify(ctx, issue(t, roster, tokens.Claims{Account: "a1"})); err != nil {
		t.Fatal(err)
	}
	roster = issuer(t, "billing", next, old) // rotated: the new key signs
	now = now.Add(time.Minute)               // past RefetchEvery
	if _, err := v.Verify(ctx, issue(t, roster, tokens.Claims{Account: "a1"})); err != nil {
		t.Fatalf("token of the new key: %v", err)
	}
	if n := fetches.Load(); n != 2 {
		t.Errorf("JWKS fetches: got %d, want 2", n)
	}
}

// TestRequire: the middleware answers 401 without a valid token, 403
// without the permission, and hands the claims on otherwise.
func TestRequire(t *testing.T) {
	t.Parallel()
	roster := issuer(t, "billing", key(t))
	url, _ := jwksServer(t, &roster)
	v := hostauth.New(hostauth.Config{Issuer: issuerURL, Audience: "billing", JWKSURL: url})
	h := v.Require(func(r *http.Request) string { return r.PathValue("account") }, "billing.manage",
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, _ := hostauth.FromContext(r.Context())
			_, _ = w.Write([]byte(c.Subject))
		}))
	mux := http.NewServeMux()
	mux.Handle("GET /accounts/{account}/invoices", h)
	manager := tokens.Claims{Account: "a1", Permissions: []string{"billing.manage"}}
	manager.Subject = "u7"
	viewer := tokens.Claims{Account: "a1", Permissions: []string{"billing.view"}}
	for _, tt := range []struct {
		name, auth string
		want       int
	}{
		{"no token", "", 401},
		{"not bearer", "Basic abc", 401},
		{"viewer", "Bearer " + issue(t, roster, viewer), 403},
		{"manager", "Bearer " + issue(t, roster, manager), 200},
	} {
		r := httptest.NewRequest("GET", "/accounts/a1/invoices", nil)
		if tt.auth != "" {
			r.Header.Set("Authorization", tt.auth)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if w.Code != tt.want || (tt.want == 200 && w.Body.String() != "u7") {
			t.Errorf("%s: got %d %q, want %d", tt.name, w.Code, w.Body.String(), tt.want)
		}
	}
}
