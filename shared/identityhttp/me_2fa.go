package identityhttp

import (
	"context"
	"errors"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/store"
)

// startTwoFactorAuthenticator authenticates the request.
type startTwoFactorAuthenticator interface {
	Verified(ctx context.Context, req api.Request) (domain.Session, error)
}

// startTwoFactorStore reads and changes the user.
type startTwoFactorStore interface {
	auth.Limiter
	GetUser(ctx context.Context, userID string) (domain.User, error)
	UpdateUser(ctx context.Context, userID string, change func(*domain.User) error) (domain.User, error)
}

// startTwoFactorHandler answers POST /api/me/2fa.
type startTwoFactorHandler struct {
	auth  startTwoFactorAuthenticator
	store startTwoFactorStore
}

// newStartTwoFactorHandler returns the handler.
func newStartTwoFactorHandler(a startTwoFactorAuthenticator, s startTwoFactorStore) *startTwoFactorHandler {
	return &startTwoFactorHandler{auth: a, store: s}
}

type startTwoFactorInput struct {
	Password string `json:"password"`
}

// Handle starts enrolling a TOTP second factor: with the current password
// (wrong ones count against the user's limit), it stores a new secret as
// pending, to be confirmed with a first code, and returns it with its
// otpauth:// URL. Starting again replaces a pending secret. It answers 200
// {secret, otpauthUrl}, 400 wrong_password, 409 two_factor_enabled when 2FA
// is on already, 429 past the limit.
func (h *startTwoFactorHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	sess, err := h.auth.Verified(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	var in startTwoFactorInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	u, err := auth.ProofSubject(ctx, h.store, sess.UserID)
	if err != nil {
		return api.Response{}, err
	}
	if u.TOTPEnabled {
		return api.Response{}, errEnabled
	}
	if ok, err := auth.VerifyPassword(in.Password, u.PasswordHash); err != nil {
		return api.Response{}, err
	} else if !ok {
		return api.Response{}, auth.RefuseProof(ctx, h.store, u.ID, domain.CodeWrongPassword.Field("password", "This is not your current password."))
	}
	secret, url, err := auth.NewTOTP(u.Email)
	if err != nil {
		return api.Response{}, err
	}
	_, err = h.store.UpdateUser(ctx, u.ID, func(u *domain.User) error {
		if u.TOTPEnabled {
			return errEnabled
		}
		u.TOTPSecret, u.RecoveryCodes = secret, nil
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return api.Response{}, domain.CodeStaleVersion.Msg("Your login changed at the same moment. Please try again.")
	}
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, map[string]string{"secret": secret, "otpauthUrl": url}), nil
}

var errEnabled = domain.CodeTwoFactorEnabled.Msg("Two-factor sign-in is on already. Turn it off first to enrol a new device.")

// StartTwoFactor is the me-2fa function's handler.
func StartTwoFactor(d app.Deps) api.HandlerFunc {
	return newStartTwoFactorHandler(d.Authenticator(), d.Store()).Handle
}
