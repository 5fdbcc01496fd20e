package invitehttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/invite"
)

// acceptHandler answers POST /api/invitations/accept.
type acceptHandler struct {
	auth *auth.Authenticator
	svc  *invite.Service
}

// newAcceptHandler returns the handler over the authenticator and the invitation service.
func newAcceptHandler(a *auth.Authenticator, svc *invite.Service) *acceptHandler {
	return &acceptHandler{auth: a, svc: svc}
}

// acceptTokenInput is the body: the token from the link's fragment.
type acceptTokenInput struct {
	Token string `json:"token"`
}

// Handle accepts an invitation for the signed-in user, who must be signed
// in with the invited email: 200 {accountId, accountName, role}. Errors:
// 401 (sign in or register first), 403 email_unverified, 403
// email_mismatch naming the invited address, 404 invalid_token, 410
// invitation_expired, 409 invitation_exceeds_inviter or already_member, 400
// for a bad body, 413.
func (h *acceptHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	sess, err := h.auth.Verified(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	var in acceptTokenInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	a, err := h.svc.Accept(ctx, auth.ActorOf(sess, domain.Membership{}, req), in.Token)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, a), nil
}

// Accept is the invitation-accept function's handler.
func Accept(d app.Deps) api.HandlerFunc {
	return newAcceptHandler(d.Authenticator(), invite.New(d.Store(), nil, invite.ConfigFrom(d.Config))).Handle
}
