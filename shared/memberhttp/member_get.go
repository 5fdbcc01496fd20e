package memberhttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/members"
)

// getHandler answers GET /api/accounts/{accountId}/members/{userId}: one member.
type getHandler struct {
	auth    *auth.Authenticator
	members *members.Service
}

// newGetHandler returns the handler over the authenticator and the members service.
func newGetHandler(a *auth.Authenticator, s *members.Service) *getHandler {
	return &getHandler{auth: a, members: s}
}

// Handle authenticates the request as a member of the account (401, 404
// account_not_found, 403 member_deactivated) and applies the members
// service. It needs users.view, except for the member themself.
func (h *getHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	userID, err := api.PathParam(req, "userId")
	if err != nil {
		return api.Response{}, err
	}
	m, err := h.members.Get(ctx, actor, accountID, userID)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, m), nil
}

// Get is the member-get function's handler.
func Get(d app.Deps) api.HandlerFunc {
	return newGetHandler(d.Authenticator(), members.NewService(d.Store(), d.Catalog)).Handle
}
