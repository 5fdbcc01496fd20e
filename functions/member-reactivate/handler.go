package main

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/members"
)

// Handler answers POST /api/accounts/{accountId}/members/{userId}/reactivate: restores a deactivated member's access.
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
// service. The body is {version}; role and permissions are as before deactivation.
func (h *Handler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	accountID, err := api.PathParam(req, "accountId")
	if err != nil {
		return api.Response{}, err
	}
	userID, err := api.PathParam(req, "userId")
	if err != nil {
		return api.Response{}, err
	}
	actor, _, err := h.auth.Member(ctx, req, accountID)
	if err != nil {
		return api.Response{}, err
	}
	version, err := members.VersionOf(req)
	if err != nil {
		return api.Response{}, err
	}
	m, err := h.members.SetStatus(ctx, actor, accountID, userID, version, true)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, m), nil
}
