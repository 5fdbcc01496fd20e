package memberhttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/members"
)

// ownershipHandler answers POST /api/accounts/{accountId}/ownership: the owner hands the account over to an active admin.
type ownershipHandler struct {
	auth    *auth.Authenticator
	members *members.Service
}

// newOwnershipHandler returns the handler over the authenticator and the members service.
func newOwnershipHandler(a *auth.Authenticator, s *members.Service) *ownershipHandler {
	return &ownershipHandler{auth: a, members: s}
}

// Handle authenticates the request as a member of the account (401, 404
// account_not_found, 403 member_deactivated) and applies the members
// service. The body is {userId, password, version}: the new owner, the owner's
// password as confirmation, and the new owner's member version. It answers
// the new owner.
func (h *ownershipHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	var b members.HandOver
	if err := api.Decode(req, &b); err != nil {
		return api.Response{}, err
	}
	m, err := h.members.TransferOwnership(ctx, actor, accountID, b)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, m), nil
}

// Ownership is the member-ownership function's handler.
func Ownership(d app.Deps) api.HandlerFunc {
	return newOwnershipHandler(d.Authenticator(), members.NewService(d.Store(), d.Catalog)).Handle
}
