package identityhttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/identity"
)

// Me is GET /api/me: the signed-in user's own profile (also before the
// address is confirmed). It answers 200, or 401.
func Me(d app.Deps) api.HandlerFunc {
	return newMe(d.Authenticator(), service(d))
}

func newMe(a *auth.Authenticator, svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		sess, err := a.Session(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		u, err := svc.Me(ctx, sess.UserID)
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusOK, u.Profile()), nil
	}
}

// UpdateMe is PATCH /api/me {firstName?, lastName?}: the user's own names,
// copied onto their memberships. It answers 200 with the profile; 400 for
// bad names or an empty change; 401/403 without a verified session; 409
// stale_version.
func UpdateMe(d app.Deps) api.HandlerFunc {
	return newUpdateMe(d.Authenticator(), service(d))
}

func newUpdateMe(a *auth.Authenticator, svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		sess, err := a.Verified(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		var in identity.NameChange
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		u, err := svc.UpdateMe(ctx, auth.ActorOf(sess, domain.Membership{}, req), in)
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusOK, u.Profile()), nil
	}
}

// ResendVerification is POST /api/me/verification: a new link to confirm
// the address, queued for the mail sender. It answers 202; 401; 409
// already_verified; 429.
func ResendVerification(d app.Deps) api.HandlerFunc {
	return newResendVerification(d.Authenticator(), service(d))
}

func newResendVerification(a *auth.Authenticator, svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		sess, err := a.Session(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		if err := svc.ResendVerification(ctx, sess.UserID); err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusAccepted, api.Notice{Status: "We sent you a new link."}), nil
	}
}

// ChangePassword is POST /api/me/password {currentPassword, newPassword}:
// it answers 204, the user's other sessions ended; 400 weak_password or
// wrong_password; 401/403; 409; 429.
func ChangePassword(d app.Deps) api.HandlerFunc {
	return newChangePassword(d.Authenticator(), service(d))
}

func newChangePassword(a *auth.Authenticator, svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		sess, err := a.Verified(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		var in identity.PasswordChange
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		if err := svc.ChangePassword(ctx, sess, in); err != nil {
			return api.Response{}, err
		}
		return api.NoContent(), nil
	}
}

// StartTwoFactor is POST /api/me/2fa {password}: a TOTP secret to enrol. It
// answers 200 {secret, otpauthUrl}; 400 wrong_password; 401/403; 409
// two_factor_enabled; 429.
func StartTwoFactor(d app.Deps) api.HandlerFunc {
	return newStartTwoFactor(d.Authenticator(), service(d))
}

func newStartTwoFactor(a *auth.Authenticator, svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		sess, err := a.Verified(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		var in identity.PasswordBody
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		e, err := svc.StartTwoFactor(ctx, sess.UserID, in.Password)
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusOK, e), nil
	}
}

// ConfirmTwoFactor is POST /api/me/2fa/confirm {code}: 2FA on. It answers
// 200 {recoveryCodes}; 400 invalid_code; 401/403; 409; 429.
func ConfirmTwoFactor(d app.Deps) api.HandlerFunc {
	return newConfirmTwoFactor(d.Authenticator(), service(d))
}

func newConfirmTwoFactor(a *auth.Authenticator, svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		sess, err := a.Verified(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		var in identity.CodeBody
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		codes, err := svc.ConfirmTwoFactor(ctx, sess.UserID, in.Code)
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusOK, identity.RecoveryCodeList{RecoveryCodes: codes}), nil
	}
}

// DeleteTwoFactor is DELETE /api/me/2fa {password} or {code}: 2FA off. It
// answers 204; 400 proof_required, wrong_password or invalid_code;
// 401/403; 409 two_factor_disabled; 429.
func DeleteTwoFactor(d app.Deps) api.HandlerFunc {
	return newDeleteTwoFactor(d.Authenticator(), service(d))
}

func newDeleteTwoFactor(a *auth.Authenticator, svc *identity.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		sess, err := a.Verified(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		var in identity.TwoFactorProof
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		if err := svc.DeleteTwoFactor(ctx, sess.UserID, in); err != nil {
			return api.Response{}, err
		}
		return api.NoContent(), nil
	}
}
