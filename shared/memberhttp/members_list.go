package memberhttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/members"
)

// listHandler answers GET /api/accounts/{accountId}/members: the account's members by status, in name order, paged, or those matching a prefix search.
type listHandler struct {
	auth    *auth.Authenticator
	members *members.Service
}

// newListHandler returns the handler over the authenticator and the members service.
func newListHandler(a *auth.Authenticator, s *members.Service) *listHandler {
	return &listHandler{auth: a, members: s}
}

// Handle authenticates the request as a member of the account (401, 404
// account_not_found, 403 member_deactivated) and applies the members
// service. It needs users.view; status is active (default) or deactivated, q a prefix
// search of names and email, cursor the next of the previous page and limit
// the page size (50 by default, at most 100).
func (h *listHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	q, err := listQueryOf(req)
	if err != nil {
		return api.Response{}, err
	}
	page, err := h.members.List(ctx, actor, accountID, q)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, page), nil
}

// List is the members-list function's handler.
func List(d app.Deps) api.HandlerFunc {
	return newListHandler(d.Authenticator(), members.NewService(d.Store(), d.Catalog)).Handle
}
