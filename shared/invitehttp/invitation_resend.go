package invitehttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/invite"
)

// resendHandler answers POST /api/accounts/{accountId}/invitations/{id}/resend.
type resendHandler struct {
	auth *auth.Authenticator
	svc  *invite.Service
}

// newResendHandler returns the handler over the authenticator and the invitation service.
func newResendHandler(a *auth.Authenticator, svc *invite.Service) *resendHandler {
	return &resendHandler{auth: a, svc: svc}
}

// Handle sends a pending invitation again (expired ones too) with a new
// link and validity window, and answers 200 with it. Errors: 401, 404, 403
// from the grant rules, 409 invitation_not_pending or stale_version, 429
// resend_too_soon, resend_limit or past the account's hourly cap.
func (h *resendHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	id, err := api.PathParam(req, "id")
	if err != nil {
		return api.Response{}, err
	}
	v, err := h.svc.Resend(ctx, actor, accountID, id)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, v), nil
}

// Resend is the invitation-resend function's handler.
func Resend(d app.Deps) api.HandlerFunc {
	return newResendHandler(d.Authenticator(), invite.New(d.Store(), invite.MustSender(context.Background(), d.Config.MailFrom), invite.ConfigFrom(d.Config))).Handle
}
