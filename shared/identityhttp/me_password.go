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

// changePasswordAuthenticator authenticates the request.
type changePasswordAuthenticator interface {
	Verified(ctx context.Context, req api.Request) (domain.Session, error)
}

// changePasswordStore reads and changes the user and ends sessions.
type changePasswordStore interface {
	auth.Limiter
	GetUser(ctx context.Context, userID string) (domain.User, error)
	UpdateUser(ctx context.Context, userID string, change func(*domain.User) error) (domain.User, error)
	DeleteSessionsOfUser(ctx context.Context, userID, keepHash string) error
}

// changePasswordHandler answers POST /api/me/password.
type changePasswordHandler struct {
	auth  changePasswordAuthenticator
	store changePasswordStore
	now   func() time.Time
}

// newChangePasswordHandler returns the handler.
func newChangePasswordHandler(a changePasswordAuthenticator, s changePasswordStore) *changePasswordHandler {
	return &changePasswordHandler{auth: a, store: s, now: time.Now}
}

type changePasswordInput struct {
	CurrentPassword string `json:"currentPassword"`
	NewPassword     string `json:"newPassword"`
}

// Handle checks the new password against the rules and the current one
// against the stored hash (wrong ones count against the user's limit),
// stores the new hash and ends every other session of the user. It answers
// 204, 400 weak_password/invalid_password on newPassword or wrong_password
// on currentPassword, 429 past the limit, 409 stale_version on a race.
func (h *changePasswordHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	sess, err := h.auth.Verified(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	var in changePasswordInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	if err := auth.CheckPassword(in.NewPassword, sess.Email); err != nil {
		e := *domain.AsError(err)
		e.Field = "newPassword"
		return api.Response{}, &e
	}
	u, err := auth.ProofSubject(ctx, h.store, sess.UserID)
	if err != nil {
		return api.Response{}, err
	}
	if ok, err := auth.VerifyPassword(in.CurrentPassword, u.PasswordHash); err != nil {
		return api.Response{}, err
	} else if !ok {
		return api.Response{}, auth.RefuseProof(ctx, h.store, u.ID, domain.CodeWrongPassword.Field("currentPassword", "This is not your current password."))
	}
	hash, err := auth.HashPassword(in.NewPassword, auth.DefaultArgon2)
	if err != nil {
		return api.Response{}, err
	}
	_, err = h.store.UpdateUser(ctx, u.ID, func(cur *domain.User) error {
		if cur.PasswordHash != u.PasswordHash {
			return store.ErrConflict
		}
		cur.PasswordHash, cur.PasswordChangedAt = hash, h.now().UTC()
		return nil
	})
	if errors.Is(err, store.ErrConflict) {
		return api.Response{}, domain.CodeStaleVersion.Msg("Your password changed at the same moment. Please try again.")
	}
	if err != nil {
		return api.Response{}, err
	}
	if err := h.store.DeleteSessionsOfUser(ctx, u.ID, sess.TokenHash); err != nil {
		return api.Response{}, err
	}
	return api.NoContent(), nil
}

// ChangePassword is the me-password function's handler.
func ChangePassword(d app.Deps) api.HandlerFunc {
	return newChangePasswordHandler(d.Authenticator(), d.Store()).Handle
}
