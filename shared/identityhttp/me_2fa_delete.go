package identityhttp

import (
	"context"
	"errors"
	"time"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/store"
)

// deleteTwoFactorAuthenticator authenticates the request.
type deleteTwoFactorAuthenticator interface {
	Verified(ctx context.Context, req api.Request) (domain.Session, error)
}

// deleteTwoFactorStore reads and changes the user.
type deleteTwoFactorStore interface {
	auth.Limiter
	GetUser(ctx context.Context, userID string) (domain.User, error)
	UpdateUser(ctx context.Context, userID string, change func(*domain.User) error) (domain.User, error)
}

// deleteTwoFactorHandler answers DELETE /api/me/2fa.
type deleteTwoFactorHandler struct {
	auth  deleteTwoFactorAuthenticator
	store deleteTwoFactorStore
	now   func() time.Time
}

// newDeleteTwoFactorHandler returns the handler.
func newDeleteTwoFactorHandler(a deleteTwoFactorAuthenticator, s deleteTwoFactorStore) *deleteTwoFactorHandler {
	return &deleteTwoFactorHandler{auth: a, store: s, now: time.Now}
}

type deleteTwoFactorInput struct {
	Password string `json:"password"`
	Code     string `json:"code"`
}

// Handle turns 2FA off (or drops a pending enrolment) after proof: the
// current password, or a current TOTP or unused recovery code. Wrong proofs
// count against the user's limit. It answers 204, 400 proof_required,
// wrong_password or invalid_code, 409 two_factor_disabled, 429 past the
// limit.
func (h *deleteTwoFactorHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	sess, err := h.auth.Verified(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	var in deleteTwoFactorInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	if (in.Password == "") == (in.Code == "") {
		return api.Response{}, domain.CodeProofRequired.Field("password", "Enter your password or a code from your authenticator app.")
	}
	u, err := auth.ProofSubject(ctx, h.store, sess.UserID)
	if err != nil {
		return api.Response{}, err
	}
	if !u.TOTPEnabled && !u.TwoFactorPending() {
		return api.Response{}, domain.CodeTwoFactorDisabled.Msg("Two-factor sign-in is off already.")
	}
	var refusal error
	switch {
	case in.Password != "":
		ok, err := auth.VerifyPassword(in.Password, u.PasswordHash)
		if err != nil {
			return api.Response{}, err
		}
		if !ok {
			refusal = domain.CodeWrongPassword.Field("password", "This is not your current password.")
		}
	case !auth.ValidTOTP(in.Code, u.TOTPSecret, h.now()) && auth.MatchRecoveryCode(in.Code, u.RecoveryCodes) < 0:
		refusal = domain.CodeInvalidCode.In(domain.EInvalid).Field("code", "This code is not right.")
	}
	if refusal != nil {
		return api.Response{}, auth.RefuseProof(ctx, h.store, u.ID, refusal)
	}
	_, err = h.store.UpdateUser(ctx, u.ID, func(u *domain.User) error {
		u.TOTPEnabled, u.TOTPSecret, u.RecoveryCodes = false, "", nil
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return api.Response{}, domain.CodeStaleVersion.Msg("Your login changed at the same moment. Please try again.")
	}
	if err != nil {
		return api.Response{}, err
	}
	return api.NoContent(), nil
}

// DeleteTwoFactor is the me-2fa-delete function's handler.
func DeleteTwoFactor(d app.Deps) api.HandlerFunc {
	return newDeleteTwoFactorHandler(d.Authenticator(), d.Store()).Handle
}
