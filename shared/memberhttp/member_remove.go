package memberhttp

import (
	"context"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/members"
)

// removeHandler answers DELETE /api/accounts/{accountId}/members/{userId}: removes a member's access to the account.
type removeHandler struct {
	auth    *auth.Authenticator
	members *members.Service
}

// newRemoveHandler returns the handler over the authenticator and the members service.
func newRemoveHandler(a *auth.Authenticator, s *members.Service) *removeHandler {
	return &removeHandler{auth: a, members: s}
}

// Handle authenticates the request as a member of the account (401, 404
// account_not_found, 403 member_deactivated) and applies the members
// service. The version comes as ?version= or in the body {version}; the user's
// login and other accounts are untouched. It answers 204.
func (h *removeHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	userID, err := api.PathParam(req, "userId")
	if err != nil {
		return api.Response{}, err
	}
	version, err := versionOf(req)
	if err != nil {
		return api.Response{}, err
	}
	if err := h.members.Remove(ctx, actor, accountID, userID, version); err != nil {
		return api.Response{}, err
	}
	return api.NoContent(), nil
}

// Remove is the member-remove function's handler.
func Remove(d app.Deps) api.HandlerFunc {
	return newRemoveHandler(d.Authenticator(), members.NewService(d.Store(), d.Catalog)).Handle
}
