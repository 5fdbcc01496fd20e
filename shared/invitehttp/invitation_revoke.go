package invitehttp

import (
	"context"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/invite"
)

// revokeHandler answers DELETE /api/accounts/{accountId}/invitations/{id}.
type revokeHandler struct {
	auth *auth.Authenticator
	svc  *invite.Service
}

// newRevokeHandler returns the handler over the authenticator and the invitation service.
func newRevokeHandler(a *auth.Authenticator, svc *invite.Service) *revokeHandler {
	return &revokeHandler{auth: a, svc: svc}
}

// Handle revokes a pending invitation (its link stops working at once) and
// answers 204. Errors: 401, 404, 403 from the grant rules, 409
// invitation_not_pending or stale_version.
func (h *revokeHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
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

// Revoke is the invitation-revoke function's handler.
func Revoke(d app.Deps) api.HandlerFunc {
	return newRevokeHandler(d.Authenticator(), invite.New(d.Store(), nil, invite.ConfigFrom(d.Config))).Handle
}
