// Package hostauth is for the host product's backends: it verifies the
// access tokens Roster issues (POST /api/accounts/{accountId}/token) and
// checks a member's permission for an account, without calling Roster for
// each request. The public keys come from Roster's JWKS
// (/.well-known/jwks.json), fetched once and kept for a few minutes; a
// token signed with a key not seen yet (a rotation) fetches them again, at
// most every RefetchEvery.
//
//	v := hostauth.New(hostauth.Config{Issuer: "https://roster.example.com", Audience: "billing"})
//	claims, err := v.Authorize(ctx, hostauth.BearerToken(r), accountID, "billing.manage")
package hostauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Claims are what a Roster access token says about a member in one account.
type Claims struct {
	jwt.Claims
	Email   string `json:"email"`
	Account string `json:"account"`
	Role    string `json:"role"`
	// Permissions is ["all"] for a member who holds every permission.
	Permissions []string `json:"permissions"`
	Projects    []string `json:"projects"`
}

// AllPermissions is the permissions claim of a member who holds them all.
const AllPermissions = "all"

// Can reports whether the member holds the permission (for example
// "billing.manage") in the token's account.
func (c Claims) Can(permission string) bool {
	return slices.Contains(c.Permissions, AllPermissions) || slices.Contains(c.Permissions, permission)
}

// InProject reports whether the member is assigned to the project.
func (c Claims) InProject(projectID string) bool { return slices.Contains(c.Projects, projectID) }

// Errors of Verify and Authorize; the returned errors wrap them.
var (
	// ErrInvalidToken: missing, malformed, badly signed, expired, or not
	// meant for this issuer and audience. Answer 401.
	ErrInvalidToken = errors.New("hostauth: invalid access token")
	// ErrForbidden: a valid token for another account, or without the
	// permission. Answer 403.
	ErrForbidden = errors.New("hostauth: not allowed")
)

// Config configures a Verifier.
type Config struct {
	// Issuer is Roster's origin (its SITE_URL), the tokens' iss.
	Issuer string
	// Audience is the tokens' aud that this service accepts (Roster's
	// TOKEN_AUDIENCE).
	Audience string
	// JWKSURL is where the keys are; default Issuer + "/.well-known/jwks.json".
	JWKSURL string
	// Client fetches the keys; default a client with a 5 s timeout.
	Client *http.Client
	// CacheFor is how long fetched keys are used; default 5 minutes.
	CacheFor time.Duration
	// RefetchEvery bounds the fetches an unknown key id causes; default 30 s.
	RefetchEvery time.Duration
	// Leeway is the clock skew allowed on exp and nbf; default 30 s.
	Leeway time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Verifier verifies Roster's access tokens. It is safe for concurrent use;
// make one per process.
type Verifier struct {
	cfg       Config
	mu        sync.Mutex
	keys      jose.JSONWebKeySet
	fetched   time.Time
	lastFetch time.Time
}

// New returns a Verifier.
func New(cfg Config) *Verifier {
	cfg.Issuer = strings.TrimRight(cfg.Issuer, "/")
	if cfg.JWKSURL == "" {
		cfg.JWKSURL = cfg.Issuer + "/.well-known/jwks.json"
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 5 * time.Second}
	}
	if cfg.CacheFor <= 0 {
		cfg.CacheFor = 5 * time.Minute
	}
	if cfg.RefetchEvery <= 0 {
		cfg.RefetchEvery = 30 * time.Second
	}
	if cfg.Leeway <= 0 {
		cfg.Leeway = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Verifier{cfg: cfg}
}

// Verify checks the token's signature (ES256, a key of Roster's JWKS), its
// issuer, audience and validity window, and returns its claims. It returns
// ErrInvalidToken (wrapped), or an error fetching the keys.
func (v *Verifier) Verify(ctx context.Context, token string) (Claims, error) {
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil || len(tok.Headers) != 1 {
		return Claims{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	key, err := v.key(ctx, tok.Headers[0].KeyID)
	if err != nil {
		return Claims{}, err
	}
	var c Claims
	if err := tok.Claims(key, &c); err != nil {
		return Claims{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if c.Expiry == nil {
		return Claims{}, fmt.Errorf("%w: no expiry", ErrInvalidToken)
	}
	exp := jwt.Expected{Issuer: v.cfg.Issuer, AnyAudience: jwt.Audience{v.cfg.Audience}, Time: v.cfg.Now()}
	if err := c.ValidateWithLeeway(exp, v.cfg.Leeway); err != nil {
		return Claims{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	return c, nil
}

// Authorize verifies the token and checks that it is for the account and
// holds the permission ("" checks membership only). It returns
// ErrInvalidToken or ErrForbidden (wrapped).
func (v *Verifier) Authorize(ctx context.Context, token, accountID, permission string) (Claims, error) {
	c, err := v.Verify(ctx, token)
	if err != nil {
		return Claims{}, err
	}
	if c.Account != accountID {
		return Claims{}, fmt.Errorf("%w: the token is for another account", ErrForbidden)
	}
	if permission != "" && !c.Can(permission) {
		return Claims{}, fmt.Errorf("%w: the member lacks %s", ErrForbidden, permission)
	}
	return c, nil
}

// BearerToken returns the token of the request's Authorization: Bearer
// header, or "".
func BearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// Require wraps next so that it runs only for a request carrying a token
// for the account accountOf names, with the permission; otherwise it
// answers 401 or 403. next finds the claims with FromContext.
func (v *Verifier) Require(accountOf func(*http.Request) string, permission string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := v.Authorize(r.Context(), BearerToken(r), accountOf(r), permission)
		switch {
		case errors.Is(err, ErrInvalidToken):
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			http.Error(w, "invalid access token", http.StatusUnauthorized)
		case errors.Is(err, ErrForbidden):
			http.Error(w, "forbidden", http.StatusForbidden)
		case err != nil:
			http.Error(w, "cannot verify the access token now", http.StatusServiceUnavailable)
		default:
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), claimsKey{}, c)))
		}
	})
}

type claimsKey struct{}

// FromContext returns the claims Require verified.
func FromContext(ctx context.Context) (Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(Claims)
	return c, ok
}

// key returns the public key with the id, fetching the JWKS when the cached
// one is stale or lacks it (at most every RefetchEvery for a miss).
func (v *Verifier) key(ctx context.Context, kid string) (*jose.JSONWebKey, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.cfg.Now()
	find := func() *jose.JSONWebKey {
		for _, k := range v.keys.Key(kid) {
			if k.Algorithm == string(jose.ES256) || k.Algorithm == "" {
				return &k
			}
		}
		return nil
	}
	stale := now.Sub(v.fetched) > v.cfg.CacheFor
	if k := find(); k != nil && !stale {
		return k, nil
	}
	if stale || now.Sub(v.lastFetch) > v.cfg.RefetchEvery {
		v.lastFetch = now
		set, err := v.fetch(ctx)
		if err != nil {
			if k := find(); k != nil {
				return k, nil // keep using the keys we have while Roster is unreachable
			}
			return nil, err
		}
		v.keys, v.fetched = set, now
	}
	if k := find(); k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("%w: unknown key %q", ErrInvalidToken, kid)
}

func (v *Verifier) fetch(ctx context.Context) (jose.JSONWebKeySet, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.cfg.JWKSURL, nil)
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	resp, err := v.cfg.Client.Do(req)
	if err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("hostauth: fetch keys: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return jose.JSONWebKeySet{}, fmt.Errorf("hostauth: fetch keys: %s", resp.Status)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&set); err != nil {
		return jose.JSONWebKeySet{}, fmt.Errorf("hostauth: decode keys: %w", err)
	}
	return set, nil
}
