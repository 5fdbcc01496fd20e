package identityhttp

import (
	"context"
	"errors"
	"net/http"
	"time"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/store"
)

// confirmTwoFactorAuthenticator authenticates the request.
type confirmTwoFactorAuthenticator interface {
	Verified(ctx context.Context, req api.Request) (domain.Session, error)
}

// confirmTwoFactorStore reads and changes the user.
type confirmTwoFactorStore interface {
	auth.Limiter
	GetUser(ctx context.Context, userID string) (domain.User, error)
	UpdateUser(ctx context.Context, userID string, change func(*domain.User) error) (domain.User, error)
}

// confirmTwoFactorHandler answers POST /api/me/2fa/confirm.
type confirmTwoFactorHandler struct {
	auth  confirmTwoFactorAuthenticator
	store confirmTwoFactorStore
	now   func() time.Time
}

// newConfirmTwoFactorHandler returns the handler.
func newConfirmTwoFactorHandler(a confirmTwoFactorAuthenticator, s confirmTwoFactorStore) *confirmTwoFactorHandler {
	return &confirmTwoFactorHandler{auth: a, store: s, now: time.Now}
}

type confirmTwoFactorInput struct {
	Code string `json:"code"`
}

// RecoveryCodes is how many recovery codes an enrolment hands out.
const RecoveryCodes = 10

// Handle turns on the pending second factor when the code is right (wrong
// codes count against the user's limit) and returns the recovery codes,
// shown this once and stored only as hashes. It answers 200
// {recoveryCodes}, 400 invalid_code, 409 no_pending_enrolment or
// two_factor_enabled, 429 past the limit.
func (h *confirmTwoFactorHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	sess, err := h.auth.Verified(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	var in confirmTwoFactorInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	u, err := auth.ProofSubject(ctx, h.store, sess.UserID)
	if err != nil {
		return api.Response{}, err
	}
	switch {
	case u.TOTPEnabled:
		return api.Response{}, domain.CodeTwoFactorEnabled.Msg("Two-factor sign-in is on already.")
	case !u.TwoFactorPending():
		return api.Response{}, domain.CodeNoPendingEnrolment.Msg("Start the enrolment first.")
	}
	step, ok := auth.MatchTOTP(in.Code, u.TOTPSecret, h.now())
	if !ok {
		return api.Response{}, auth.RefuseProof(ctx, h.store, u.ID, domain.CodeInvalidCode.In(domain.EInvalid).Field("code", "This code is not right. Enter the current code from your authenticator app."))
	}
	codes, hashes := auth.NewRecoveryCodes(RecoveryCodes)
	_, err = h.store.UpdateUser(ctx, u.ID, func(cur *domain.User) error {
		if cur.TOTPEnabled || cur.TOTPSecret != u.TOTPSecret {
			return store.ErrConflict
		}
		cur.TOTPEnabled, cur.RecoveryCodes, cur.TOTPLastStep = true, hashes, step
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return api.Response{}, domain.CodeStaleVersion.Msg("Your login changed at the same moment. Please start again.")
	}
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, map[string]any{"recoveryCodes": codes}), nil
}

// ConfirmTwoFactor is the me-2fa-confirm function's handler.
func ConfirmTwoFactor(d app.Deps) api.HandlerFunc {
	return newConfirmTwoFactorHandler(d.Authenticator(), d.Store()).Handle
}
