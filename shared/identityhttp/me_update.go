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

// updateMeAuthenticator authenticates the request.
type updateMeAuthenticator interface {
	Verified(ctx context.Context, req api.Request) (domain.Session, error)
}

// updateMeStore changes the user and the copies of their names on memberships.
type updateMeStore interface {
	UpdateUser(ctx context.Context, userID string, change func(*domain.User) error) (domain.User, error)
	SyncMemberNames(ctx context.Context, u domain.User, actor domain.Actor, at time.Time) error
}

// updateMeHandler answers PATCH /api/me.
type updateMeHandler struct {
	auth  updateMeAuthenticator
	store updateMeStore
}

// newUpdateMeHandler returns the handler.
func newUpdateMeHandler(a updateMeAuthenticator, s updateMeStore) *updateMeHandler {
	return &updateMeHandler{auth: a, store: s}
}

type updateMeInput struct {
	FirstName *string `json:"firstName"`
	LastName  *string `json:"lastName"`
}

// Handle changes the fields given (first and last name; each required
// when given), then copies them onto the user's memberships, each with its
// member.profile_changed event, so that every account's member list shows
// the new name. It answers 200 with the profile, 400 for bad names or an
// empty change, 401/403 without a verified session, 409 stale_version when
// the user changed at the same moment.
func (h *updateMeHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	sess, err := h.auth.Verified(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	var in updateMeInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	if in.FirstName == nil && in.LastName == nil {
		return api.Response{}, domain.CodeEmptyChange.Field("", "Send firstName, lastName or both.")
	}
	var first, last string
	if in.FirstName != nil {
		if first, err = domain.NormalizeName(*in.FirstName, "firstName", false); err != nil {
			return api.Response{}, err
		}
	}
	if in.LastName != nil {
		if last, err = domain.NormalizeName(*in.LastName, "lastName", false); err != nil {
			return api.Response{}, err
		}
	}
	u, err := h.store.UpdateUser(ctx, sess.UserID, func(u *domain.User) error {
		if in.FirstName != nil {
			u.FirstName = first
		}
		if in.LastName != nil {
			u.LastName = last
		}
		return nil
	})
	switch {
	case errors.Is(err, store.ErrConflict):
		return api.Response{}, domain.CodeStaleVersion.Msg("Your login changed at the same moment. Please try again.")
	case errors.Is(err, store.ErrNotFound):
		return api.Response{}, domain.CodeUnauthenticated.Msg("Please sign in.")
	case err != nil:
		return api.Response{}, err
	}
	if err := h.store.SyncMemberNames(ctx, u, auth.UserActor(u, req), time.Now().UTC()); err != nil {
		// The login is renamed; a membership left behind keeps its old
		// name until the next change, which is logged to be seen.
		api.Logger(ctx).ErrorContext(ctx, "sync member names", "err", err.Error())
	}
	return api.JSON(http.StatusOK, u.Profile()), nil
}

// UpdateMe is the me-update function's handler.
func UpdateMe(d app.Deps) api.HandlerFunc {
	return newUpdateMeHandler(d.Authenticator(), d.Store()).Handle
}
