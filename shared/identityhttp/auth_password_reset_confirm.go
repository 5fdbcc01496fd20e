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

// passwordResetConfirmStore is what a reset writes.
type passwordResetConfirmStore interface {
	RedeemToken(ctx context.Context, hash, kind string, change func(*domain.User) error) (domain.User, error)
	DeleteSessionsOfUser(ctx context.Context, userID, keepHash string) error
}

// passwordResetConfirmHandler answers POST /api/auth/password-reset/confirm.
type passwordResetConfirmHandler struct {
	store passwordResetConfirmStore
	now   func() time.Time
}

// newPasswordResetConfirmHandler returns the handler.
func newPasswordResetConfirmHandler(s passwordResetConfirmStore) *passwordResetConfirmHandler {
	return &passwordResetConfirmHandler{store: s, now: time.Now}
}

type passwordResetConfirmInput struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// Handle checks the new password, uses up the reset token and sets the
// password in one transaction (following the link also proves the email,
// so it is marked verified), then ends all the user's sessions. It answers
// 204, 400 for a password the rules refuse (the token stays usable),
// 404 invalid_token, 410 token_expired.
func (h *passwordResetConfirmHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	var in passwordResetConfirmInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	hash, err := auth.ParseToken(in.Token)
	if err != nil {
		return api.Response{}, err
	}
	if err := auth.CheckPassword(in.Password, ""); err != nil {
		return api.Response{}, err
	}
	u, err := h.store.RedeemToken(ctx, hash, store.TokenReset, func(u *domain.User) error {
		if err := auth.CheckPassword(in.Password, u.Email); err != nil {
			return err
		}
		ph, err := auth.HashPassword(in.Password, auth.DefaultArgon2)
		if err != nil {
			return err
		}
		u.PasswordHash, u.PasswordChangedAt, u.EmailVerified = ph, h.now().UTC(), true
		return nil
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return api.Response{}, domain.CodeInvalidToken.Msg("This link is not valid or was used already. Ask for a new one.")
	case errors.Is(err, store.ErrExpired):
		return api.Response{}, domain.CodeTokenExpired.Msg("This link has expired. Ask for a new one.")
	case errors.Is(err, store.ErrConflict):
		return api.Response{}, domain.CodeStaleVersion.Msg("Your login changed at the same moment. Please try again.")
	case err != nil:
		return api.Response{}, err
	}
	if err := h.store.DeleteSessionsOfUser(ctx, u.ID, ""); err != nil {
		return api.Response{}, err
	}
	return api.NoContent(), nil
}

// PasswordResetConfirm is the auth-password-reset-confirm function's handler.
func PasswordResetConfirm(d app.Deps) api.HandlerFunc {
	return newPasswordResetConfirmHandler(d.Store()).Handle
}
