package tokenhttp

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/store"
	"roster/shared/tokens"
)

var ctx = context.Background()

// newKey makes a local signing key in the test's directory.
func newKey(t *testing.T) tokens.Key {
	t.Helper()
	k, err := tokens.LocalKey(filepath.Join(t.TempDir(), "key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newIssuer(t *testing.T, keys ...tokens.Key) *tokens.Issuer {
	t.Helper()
	i, err := tokens.NewIssuer(fixture.SiteURL, "roster", keys)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// jwksOf is the JWKS the keys endpoint publishes for the issuer.
func jwksOf(t *testing.T, i *tokens.Issuer) json.RawMessage {
	t.Helper()
	resp := fixture.Call(t, newKeys(i), fixture.Request(t, "token-keys.json", nil, ""))
	if resp.StatusCode != 200 || resp.Headers["Cache-Control"] != KeysMaxAge {
		t.Fatalf("keys: got %d %v", resp.StatusCode, resp.Headers)
	}
	return json.RawMessage(resp.Body)
}

// claims are the token's claims as a host verifying it reads them.
type claims struct {
	jwt.RegisteredClaims
	Email       string   `json:"email"`
	Account     string   `json:"account"`
	Role        string   `json:"role"`
	Permissions []string `json:"permissions"`
	Projects    []string `json:"projects"`
}

// verify checks a token as a host would, with golang-jwt and keyfunc (a
// maintained JWT library and its JWKS companion, not Roster's code),
// against the published JWKS: ES256 only, Roster's issuer, audience roster.
func verify(t *testing.T, jwks json.RawMessage, token string, at time.Time) (claims, error) {
	t.Helper()
	kf, err := keyfunc.NewJWKSetJSON(jwks)
	if err != nil {
		t.Fatal(err)
	}
	var c claims
	_, err = jwt.ParseWithClaims(token, &c, kf.Keyfunc, jwt.WithValidMethods([]string{"ES256"}),
		jwt.WithIssuer(fixture.SiteURL), jwt.WithAudience("roster"), jwt.WithExpirationRequired(), jwt.WithTimeFunc(func() time.Time { return at }))
	return c, err
}

// TestIssue: an active member gets a token a host verifies against the
// JWKS, with who they are in the account, valid 5 minutes; expired,
// wrong-audience and wrong-key tokens are refused; a deactivated member, a
// removed one, a stranger and the signed-out get none.
func TestIssue(t *testing.T) {
	t.Parallel()
	e := fixture.New(t)
	issuer := newIssuer(t, newKey(t))
	h := newIssue(e.Auth, tokens.NewService(e.Store, issuer))
	a, owner, ownerCookie := e.Account(t)
	member, cookie := e.Member(t, a, domain.RoleMember, domain.StatusActive, "billing.view", "users.view")
	m, _ := e.Store.GetMembership(ctx, a.ID, member.ID)
	p := domain.Project{ID: store.NewID(), AccountID: a.ID, Name: "Apollo", OwnerID: member.ID, CreatedAt: time.Now().UTC()}
	if err := e.Store.CreateProject(ctx, p, m, domain.AuditEvent{AccountID: a.ID, At: p.CreatedAt, Action: domain.ActionProjectCreated}); err != nil {
		t.Fatal(err)
	}
	jwks := jwksOf(t, issuer)

	call := func(cookie string) api.Response {
		return fixture.Call(t, h, fixture.Request(t, "token-issue.json", nil, cookie, "accountId", a.ID))
	}
	resp := call(cookie)
	var got tokens.AccessToken
	fixture.Decode(t, resp, &got)
	if resp.StatusCode != 200 || got.TokenType != "Bearer" || resp.Headers["Cache-Control"] != "no-store" {
		t.Fatalf("issue: got %d %s", resp.StatusCode, resp.Body)
	}
	c, err := verify(t, jwks, got.Token, time.Now())
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if c.Subject != member.ID || c.Email != member.Email || c.Account != a.ID || c.Role != "member" ||
		!slices.Equal(c.Permissions, []string{"billing.view", "users.view"}) || !slices.Equal(c.Projects, []string{p.ID}) || c.ID == "" {
		t.Errorf("claims: got %+v", c)
	}
	if life := c.ExpiresAt.Sub(c.IssuedAt.Time); life != tokens.TTL || !got.ExpiresAt.Equal(c.ExpiresAt.Time) {
		t.Errorf("lifetime: got %v (answer says %v, token %v), want %v", life, got.ExpiresAt, c.ExpiresAt, tokens.TTL)
	}
	// The owner's token says All.
	var own tokens.AccessToken
	fixture.Decode(t, call(ownerCookie), &own)
	if c, err := verify(t, jwks, own.Token, time.Now()); err != nil || !slices.Equal(c.Permissions, []string{"all"}) || c.Subject != owner.ID || c.Role != "owner" {
		t.Errorf("owner's token: got %+v, %v", c, err)
	}

	// Refused by the host: expired, for another audience, signed by a key
	// the JWKS does not have.
	if _, err := verify(t, jwks, got.Token, time.Now().Add(tokens.TTL+time.Second)); err == nil {
		t.Error("expired token: accepted")
	}
	other, err := tokens.NewIssuer(fixture.SiteURL, "billing", []tokens.Key{newKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	wrongAudience, err := tokens.NewService(e.Store, newIssuerFor(t, "billing", issuer)).ForMember(ctx, domain.Actor{UserID: member.ID}, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verify(t, jwks, wrongAudience.Token, time.Now()); err == nil {
		t.Error("token for another audience: accepted")
	}
	stranger, _, err := other.Issue(ctx, tokens.Claims{Account: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verify(t, jwks, stranger, time.Now()); err == nil {
		t.Error("token of another key: accepted")
	}

	// No token for those who are not active members.
	deactivated, dCookie := e.Member(t, a, domain.RoleMember, domain.StatusDeactivated, "billing.view")
	removed, rCookie := e.Member(t, a, domain.RoleMember, domain.StatusActive, "billing.view")
	e.RemoveMember(t, a, removed)
	_, strangerCookie := e.SignedUser(t, true)
	for _, tt := range []struct {
		name, cookie string
		wantStatus   int
		wantCode     string
	}{
		{"deactivated " + deactivated.ID, dCookie, 403, "member_deactivated"},
		{"removed", rCookie, 404, "account_not_found"},
		{"not a member", strangerCookie, 404, "account_not_found"},
		{"signed out", "", 401, "unauthenticated"},
	} {
		resp := call(tt.cookie)
		if got := fixture.ErrorOf(t, resp).Error.Code; resp.StatusCode != tt.wantStatus || got != tt.wantCode {
			t.Errorf("%s: got %d %s, want %d %s", tt.name, resp.StatusCode, got, tt.wantStatus, tt.wantCode)
		}
	}
}

// newIssuerFor is an issuer with i's keys for another audience.
func newIssuerFor(t *testing.T, audience string, i *tokens.Issuer) *tokens.Issuer {
	t.Helper()
	n, err := tokens.NewIssuer(fixture.SiteURL, audience, i.Keys())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRotation: with a new key first and the old one still listed, new
// tokens carry the new key's id, and both old and new tokens verify
// against the published JWKS; once the old key is dropped (after its last
// token expired), its tokens no longer verify.
func TestRotation(t *testing.T) {
	t.Parallel()
	old, next := newKey(t), newKey(t)
	before := newIssuer(t, old)
	during := newIssuer(t, next, old)
	after := newIssuer(t, next)
	oldToken, _, err := before.Issue(ctx, tokens.Claims{Account: "a1"})
	if err != nil {
		t.Fatal(err)
	}
	newToken, _, err := during.Issue(ctx, tokens.Claims{Account: "a1"})
	if err != nil {
		t.Fatal(err)
	}
	oldID, _ := tokens.KeyID(old)
	nextID, _ := tokens.KeyID(next)
	var set tokens.JWKS
	if err := json.Unmarshal(jwksOf(t, during), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 2 || set.Keys[0].Kid != nextID || set.Keys[1].Kid != oldID {
		t.Fatalf("JWKS during the rotation: got %+v, want the new key then the old", set.Keys)
	}
	for name, token := range map[string]string{"old": oldToken, "new": newToken} {
		if _, err := verify(t, jwksOf(t, during), token, time.Now()); err != nil {
			t.Errorf("%s token during the rotation: %v", name, err)
		}
	}
	if _, err := verify(t, jwksOf(t, after), oldToken, time.Now()); err == nil {
		t.Error("old token after its key was dropped: accepted")
	}
	if _, err := verify(t, jwksOf(t, after), newToken, time.Now()); err != nil {
		t.Errorf("new token after the rotation: %v", err)
	}
}

// TestDiscovery: the discovery document names the issuer and its JWKS, as
// API Gateway's JWT authorizer reads them.
func TestDiscovery(t *testing.T) {
	t.Parallel()
	req := fixture.Request(t, "token-keys.json", nil, "")
	req.RouteKey, req.RawPath = "GET "+tokens.DiscoveryPath, tokens.DiscoveryPath
	resp := fixture.Call(t, newKeys(newIssuer(t, newKey(t))), req)
	var d tokens.Discovery
	fixture.Decode(t, resp, &d)
	if d.Issuer != fixture.SiteURL || d.JWKSURI != fixture.SiteURL+"/.well-known/jwks.json" || !slices.Equal(d.SigningAlgs, []string{"ES256"}) {
		t.Errorf("discovery: got %+v", d)
	}
}
