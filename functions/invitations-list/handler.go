package main

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/invite"
)

// Handler answers GET /api/accounts/{accountId}/invitations.
type Handler struct {
	auth *auth.Authenticator
	svc  *invite.Service
}

// NewHandler returns the handler over the authenticator and the invitation service.
func NewHandler(a *auth.Authenticator, svc *invite.Service) *Handler {
	return &Handler{auth: a, svc: svc}
}

// Handle returns a page of the account's pending invitations:
// {items, next}; pass next back as ?cursor= for the following page. Errors:
// 401, 404 account_not_found, 403 without users.view, 400 invalid_cursor.
func (h *Handler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	page, err := h.svc.List(ctx, actor, accountID, req.QueryStringParameters["cursor"])
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, page), nil
}
