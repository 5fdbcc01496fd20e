package invitehttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/invite"
)

// listHandler answers GET /api/accounts/{accountId}/invitations.
type listHandler struct {
	auth *auth.Authenticator
	svc  *invite.Service
}

// newListHandler returns the handler over the authenticator and the invitation service.
func newListHandler(a *auth.Authenticator, svc *invite.Service) *listHandler {
	return &listHandler{auth: a, svc: svc}
}

// Handle returns a page of the account's pending invitations:
// {items, next}; pass next back as ?cursor= for the following page. Errors:
// 401, 404 account_not_found, 403 without users.view, 400 invalid_cursor.
func (h *listHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
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

// List is the invitations-list function's handler.
func List(d app.Deps) api.HandlerFunc {
	return newListHandler(d.Authenticator(), invite.New(d.Store(), nil, invite.ConfigFrom(d.Config))).Handle
}
