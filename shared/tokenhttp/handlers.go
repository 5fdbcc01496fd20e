// Package tokenhttp holds the handlers of the access tokens the host
// product uses: a member's token for an account, and the public keys and
// discovery document that verify it.
package tokenhttp

import (
	"context"
	"net/http"
	"strings"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/tokens"
)

// issuer builds the process's issuer from the deployment's keys (KMS in
// AWS, key files locally); it panics, an init error, when they cannot be
// read.
func issuer(d app.Deps) *tokens.Issuer {
	keys, err := tokens.KeysFromEnv(context.Background())
	if err != nil {
		panic(err)
	}
	i, err := tokens.NewIssuer(d.Config.SiteURL, d.Config.TokenAudience, keys)
	if err != nil {
		panic(err)
	}
	return i
}

// Issue is POST /api/accounts/{accountId}/token: an access token (a JWT,
// ES256, valid 5 minutes) saying who the signed-in member is in the
// account: their role, permissions and projects. It answers 200
// {token, tokenType, expiresAt}; 401, 403 member_deactivated or
// email_unverified, 404 for an account the user is not a member of.
func Issue(d app.Deps) api.HandlerFunc {
	return newIssue(d.Authenticator(), tokens.NewService(d.Store(), issuer(d)))
}

func newIssue(a *auth.Authenticator, svc *tokens.Service) api.HandlerFunc {
	return a.OnAccount(func(ctx context.Context, req api.Request, actor domain.Actor, accountID string) (api.Response, error) {
		t, err := svc.ForMember(ctx, actor, accountID)
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusOK, t), nil
	})
}

// KeysMaxAge is how long verifiers and CDNs may keep the keys: well below
// the time a retired key stays published after its last token.
const KeysMaxAge = "public, max-age=300"

// Keys is GET /.well-known/jwks.json (the public keys that verify the
// tokens, the signing one first) and GET /.well-known/openid-configuration
// (the issuer and where its keys are, for JWT verifiers such as API
// Gateway's JWT authorizer). Both are public and cacheable.
func Keys(d app.Deps) api.HandlerFunc { return newKeys(issuer(d)) }

func newKeys(i *tokens.Issuer) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		var resp api.Response
		if strings.HasSuffix(req.RouteKey, tokens.DiscoveryPath) {
			resp = api.JSON(http.StatusOK, i.Discovery())
		} else {
			resp = api.JSON(http.StatusOK, i.JWKS())
		}
		resp.Headers["Cache-Control"] = KeysMaxAge
		return resp, nil
	}
}
