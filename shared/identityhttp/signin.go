// Package identityhttp holds the handlers of sign-in and of the user's own
// login: each decodes, calls the identity service, and sets or clears the
// session cookie. Rules and writes are the service's.
package identityhttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/identity"
)

// service is the identity service over the deployment's table.
func service(d app.Deps) *identity.Service { return identity.NewService(d.Store()) }

// withCookie answers status with {user} and the new session's cookie.
func withCookie(status int, body any, sess *identity.NewSession, secure bool) api.Response {
	resp := api.JSON(status, body)
	if sess != nil {
		api.SetCookie(&resp, auth.SessionCookie(sess.UserID, sess.Token, sess.ExpiresAt, secure))
	}
	return resp
}

// Register is POST /api/auth/register. It answers 202 with the same
// notice whether the address was free (a login is created and the link
// that confirms it mailed) or taken (its owner is mailed instead); 400 for
// bad input, 429 when the source address registered too often. With the
// token of an invitation mailed to the same address it answers 201 {user}
// signed in with the session cookie, or 409 email_taken (the link proved
// the address, so its holder may learn that it has a login).
func Register(d app.Deps) api.HandlerFunc { return newRegister(service(d), !d.Config.Local) }

// registeredNotice is the answer to every registration but one proven by
// an invitation link.
var registeredNotice = api.Notice{Status: "Check your email: we sent a message to this address. Follow its link to confirm it, then sign in."}

func newRegister(svc *identity.Service, secure bool) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		var in identity.Registration
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		u, sess, err := svc.Register(ctx, auth.ClientOf(req), in)
		if err != nil {
			return api.Response{}, err
		}
		if sess == nil {
			return api.JSON(http.StatusAccepted, registeredNotice), nil
		}
		return withCookie(http.StatusCreated, identity.UserBody{User: u.Profile()}, sess, secure), nil
	}
}

// Verify is POST /api/auth/verify {token}: it confirms the address. It
// answers 200 {user}; 400, 404 invalid_token, 410 token_expired.
func Verify(d app.Deps) api.HandlerFunc {
	return newVerify(d.Authenticator(), service(d))
}

func newVerify(a *auth.Authenticator, svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		var in api.TokenBody
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		// A browser signed in before verifying goes on at once.
		_, current, _ := a.SessionToken(req)
		u, err := svc.Verify(ctx, in.Token, current)
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusOK, identity.UserBody{User: u.Profile()}), nil
	}
}

// Login is POST /api/auth/login {email, password, code?}. It answers 200
// {user} with the session cookie; 400 for a malformed body; 401
// invalid_credentials, code_required or invalid_code; 429 with Retry-After.
func Login(d app.Deps) api.HandlerFunc {
	return newLogin(service(d), !d.Config.Local)
}

func newLogin(svc *identity.Service, secure bool) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		var in identity.Credentials
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		u, sess, err := svc.Login(ctx, auth.ClientOf(req), in)
		if err != nil {
			return api.Response{}, err
		}
		return withCookie(http.StatusOK, identity.UserBody{User: u.Profile()}, &sess, secure), nil
	}
}

// Logout is POST /api/auth/logout: it ends the session at once, if any, and
// clears the cookie. It answers 204.
func Logout(d app.Deps) api.HandlerFunc {
	return newLogout(d.Authenticator(), service(d))
}

func newLogout(a *auth.Authenticator, svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		if _, hash, err := a.SessionToken(req); err == nil {
			if err := svc.Logout(ctx, hash); err != nil {
				return api.Response{}, err
			}
		}
		resp := api.NoContent()
		api.SetCookie(&resp, auth.ClearedCookie(a.Secure()))
		return resp, nil
	}
}

// PasswordReset is POST /api/auth/password-reset {email}: the same 202 for
// any address; a login's address gets the link. 400, 429 otherwise.
func PasswordReset(d app.Deps) api.HandlerFunc { return newPasswordReset(service(d)) }

func newPasswordReset(svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		var in identity.EmailBody
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		if err := svc.RequestReset(ctx, auth.ClientOf(req), in.Email); err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusAccepted, api.Notice{Status: "If this address has a Roster login, we sent it a link to choose a new password."}), nil
	}
}

// RequestVerification is POST /api/auth/verification {email}: a new link
// that confirms the address, for someone who registered and is not signed
// in. The same 202 for any address; only a login whose address is not
// confirmed yet gets the link. 400, 429 otherwise.
func RequestVerification(d app.Deps) api.HandlerFunc { return newRequestVerification(service(d)) }

func newRequestVerification(svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		var in identity.EmailBody
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		if err := svc.RequestVerification(ctx, auth.ClientOf(req), in.Email); err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusAccepted, api.Notice{Status: "If this address has a Roster login that is not confirmed yet, we sent it a new link."}), nil
	}
}

// PasswordResetConfirm is POST /api/auth/password-reset/confirm {token,
// password}: the new password, every session ended. It answers 204; 400
// weak_password, 404 invalid_token, 410 token_expired.
func PasswordResetConfirm(d app.Deps) api.HandlerFunc {
	return newPasswordResetConfirm(service(d))
}

func newPasswordResetConfirm(svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		var in identity.ResetConfirmation
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		if err := svc.ConfirmReset(ctx, in.Token, in.Password); err != nil {
			return api.Response{}, err
		}
		return api.NoContent(), nil
	}
}
