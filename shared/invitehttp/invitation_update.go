package invitehttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/invite"
)

// updateHandler answers PATCH /api/accounts/{accountId}/invitations/{id}.
type updateHandler struct {
	auth *auth.Authenticator
	svc  *invite.Service
}

// newUpdateHandler returns the handler over the authenticator and the invitation service.
func newUpdateHandler(a *auth.Authenticator, svc *invite.Service) *updateHandler {
	return &updateHandler{auth: a, svc: svc}
}

// Handle edits a pending invitation's names, role or permissions and
// answers 200 with it. Errors: 401, 404, 403 from the grant rules, 400 for
// bad input, 413, 409 invitation_not_pending or stale_version (with the
// current invitation in error.current).
func (h *updateHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
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

// Update is the invitation-update function's handler.
func Update(d app.Deps) api.HandlerFunc {
	return newUpdateHandler(d.Authenticator(), invite.New(d.Store(), nil, invite.ConfigFrom(d.Config))).Handle
}
