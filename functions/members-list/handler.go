package main

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/members"
)

// Handler answers GET /api/accounts/{accountId}/members: the account's members by status, in name order, paged, or those matching a prefix search.
type Handler struct {
	auth    *auth.Authenticator
	members *members.Service
}

// NewHandler returns the handler over the authenticator and the members service.
func NewHandler(a *auth.Authenticator, s *members.Service) *Handler {
	return &Handler{auth: a, members: s}
}

// Handle authenticates the request as a member of the account (401, 404
// account_not_found, 403 member_deactivated) and applies the members
// service. It needs users.view; status is active (default) or deactivated, q a prefix
// search of names and email, cursor the next of the previous page and limit
// the page size (50 by default, at most 100).
func (h *Handler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	q, err := members.ListQueryOf(req)
	if err != nil {
		return api.Response{}, err
	}
	page, err := h.members.List(ctx, actor, accountID, q)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, page), nil
}
