package identityhttp

import (
	"context"
	"errors"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/domain"
	"roster/shared/store"
)

// meAuthenticator authenticates the request.
type meAuthenticator interface {
	Session(ctx context.Context, req api.Request) (domain.Session, error)
}

// meStore reads the user.
type meStore interface {
	GetUser(ctx context.Context, userID string) (domain.User, error)
}

// meHandler answers GET /api/me.
type meHandler struct {
	auth  meAuthenticator
	store meStore
}

// newMeHandler returns the handler.
func newMeHandler(a meAuthenticator, s meStore) *meHandler { return &meHandler{auth: a, store: s} }

// Handle returns the signed-in user's profile. An unverified user may read
// it (the site shows what is left to do). It answers 200, or 401
// unauthenticated without a valid session.
func (h *meHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	sess, err := h.auth.Session(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	u, err := h.store.GetUser(ctx, sess.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return api.Response{}, domain.CodeUnauthenticated.Msg("Please sign in.")
	}
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, u.Profile()), nil
}

// Me is the me function's handler.
func Me(d app.Deps) api.HandlerFunc { return newMeHandler(d.Authenticator(), d.Store()).Handle }
