package memberhttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/members"
)

// updateHandler answers PATCH /api/accounts/{accountId}/members/{userId}: edits a member's role, permissions and names.
type updateHandler struct {
	auth    *auth.Authenticator
	members *members.Service
}

// newUpdateHandler returns the handler over the authenticator and the members service.
func newUpdateHandler(a *auth.Authenticator, s *members.Service) *updateHandler {
	return &updateHandler{auth: a, members: s}
}

// Handle authenticates the request as a member of the account (401, 404
// account_not_found, 403 member_deactivated) and applies the members
// service. The body is {version, role?, permissions?, firstName?, lastName?}; the
// grant rules apply, and a stale version is 409 stale_version with the
// current member.
func (h *updateHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	userID, err := api.PathParam(req, "userId")
	if err != nil {
		return api.Response{}, err
	}
	var e members.Edit
	if err := api.Decode(req, &e); err != nil {
		return api.Response{}, err
	}
	m, err := h.members.Update(ctx, actor, accountID, userID, e)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, m), nil
}

// Update is the member-update function's handler.
func Update(d app.Deps) api.HandlerFunc {
	return newUpdateHandler(d.Authenticator(), members.NewService(d.Store(), d.Catalog)).Handle
}
