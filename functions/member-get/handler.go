package main

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/members"
)

// Handler answers GET /api/accounts/{accountId}/members/{userId}: one member.
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
// service. It needs users.view, except for the member themself.
func (h *Handler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
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
