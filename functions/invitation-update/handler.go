package main

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/invite"
)

// Handler answers PATCH /api/accounts/{accountId}/invitations/{id}.
type Handler struct {
	auth *auth.Authenticator
	svc  *invite.Service
}

// NewHandler returns the handler over the authenticator and the invitation service.
func NewHandler(a *auth.Authenticator, svc *invite.Service) *Handler {
	return &Handler{auth: a, svc: svc}
}

// Handle edits a pending invitation's names, role or permissions and
// answers 200 with it. Errors: 401, 404, 403 from the grant rules, 400 for
// bad input, 413, 409 invitation_not_pending or stale_version (with the
// current invitation in error.current).
func (h *Handler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	id, err := api.PathParam(req, "id")
	if err != nil {
		return api.Response{}, err
	}
	var in invite.EditInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	v, err := h.svc.Edit(ctx, actor, accountID, id, in)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, v), nil
}
