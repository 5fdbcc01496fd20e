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

// verifyStore is what verification writes.
type verifyStore interface {
	RedeemToken(ctx context.Context, hash, kind string, change func(*domain.User) error) (domain.User, error)
	MarkSessionsVerified(ctx context.Context, userID string) error
}

// verifyHandler answers POST /api/auth/verify.
type verifyHandler struct{ store verifyStore }

// newVerifyHandler returns the handler.
func newVerifyHandler(s verifyStore) *verifyHandler { return &verifyHandler{store: s} }

type verifyInput struct {
	Token string `json:"token"`
}

// Handle uses up the verification token and marks the email verified, in
// one transaction, then lets the user's open sessions go on as verified.
// It answers 200 {user}, 404 invalid_token for an unknown, used or
// malformed token, 410 token_expired for an expired one.
func (h *verifyHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	var in verifyInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	hash, err := auth.ParseToken(in.Token)
	if err != nil {
		return api.Response{}, err
	}
	u, err := h.store.RedeemToken(ctx, hash, store.TokenVerify, func(u *domain.User) error {
		u.EmailVerified = true
		return nil
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return api.Response{}, domain.CodeInvalidToken.Msg("This link is not valid or was used already. Sign in and ask for a new one.")
	case errors.Is(err, store.ErrExpired):
		return api.Response{}, domain.CodeTokenExpired.Msg("This link has expired. Sign in and ask for a new one.")
	case errors.Is(err, store.ErrConflict):
		return api.Response{}, domain.CodeStaleVersion.Msg("Your login changed at the same moment. Please try again.")
	case err != nil:
		return api.Response{}, err
	}
	if err := h.store.MarkSessionsVerified(ctx, u.ID); err != nil {
		api.Logger(ctx).ErrorContext(ctx, "mark sessions verified", "err", err.Error())
	}
	return api.JSON(http.StatusOK, map[string]any{"user": u.Profile()}), nil
}

// Verify is the auth-verify function's handler.
func Verify(d app.Deps) api.HandlerFunc { return newVerifyHandler(d.Store()).Handle }
