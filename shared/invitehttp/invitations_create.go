package invitehttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/invite"
)

// createHandler answers POST /api/accounts/{accountId}/invitations.
type createHandler struct {
	auth *auth.Authenticator
	svc  *invite.Service
}

// newCreateHandler returns the handler over the authenticator and the invitation service.
func newCreateHandler(a *auth.Authenticator, svc *invite.Service) *createHandler {
	return &createHandler{auth: a, svc: svc}
}

// Handle invites an email. It answers 201 with the invitation (delivery
// "sent", or "failed" with the reason when SES refused: the invitation
// stays and can be resent); a retry with the same Idempotency-Key header
// answers the first result without a second invitation or email. Errors:
// 401, 404 account_not_found, 403 from the grant rules, 400 for bad input,
// 413 past the body limit, 409 invitation_pending or already_member, 422
// idempotency_mismatch, 429 past the account's hourly cap.
func (h *createHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	var in invite.CreateInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	c, err := h.svc.Create(ctx, actor, accountID, in, api.Header(req, "idempotency-key"))
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusCreated, c.View), nil
}

// Create is the invitations-create function's handler.
func Create(d app.Deps) api.HandlerFunc {
	return newCreateHandler(d.Authenticator(), invite.New(d.Store(), invite.MustSender(context.Background(), d.Config.MailFrom), invite.ConfigFrom(d.Config))).Handle
}
