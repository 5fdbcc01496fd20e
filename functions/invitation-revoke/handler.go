package main

import (
	"context"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/invite"
)

// Handler answers DELETE /api/accounts/{accountId}/invitations/{id}.
type Handler struct {
	auth *auth.Authenticator
	svc  *invite.Service
}

// NewHandler returns the handler over the authenticator and the invitation service.
func NewHandler(a *auth.Authenticator, svc *invite.Service) *Handler {
	return &Handler{auth: a, svc: svc}
}

// Handle revokes a pending invitation (its link stops working at once) and
// answers 204. Errors: 401, 404, 403 from the grant rules, 409
// invitation_not_pending or stale_version.
func (h *Handler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	id, err := api.PathParam(req, "id")
	if err != nil {
		return api.Response{}, err
	}
	if err := h.svc.Revoke(ctx, actor, accountID, id); err != nil {
		return api.Response{}, err
	}
	return api.NoContent(), nil
}
