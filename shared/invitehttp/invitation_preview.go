package invitehttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/invite"
)

// previewHandler answers POST /api/invitations/preview.
type previewHandler struct {
	svc *invite.Service
}

// newPreviewHandler returns the handler over the invitation service.
func newPreviewHandler(svc *invite.Service) *previewHandler { return &previewHandler{svc: svc} }

// previewTokenInput is the body of preview and accept: the token from the link's
// fragment (tokens travel in bodies, never in paths or query strings).
type previewTokenInput struct {
	Token string `json:"token"`
}

// Handle shows what an invitation link offers without using it up, and
// without sign-in: 200 {accountName, inviterName, inviterEmail, email,
// firstName, lastName, role, permissions, expiresAt}. Errors: 404
// invalid_token (malformed, unknown, revoked, used or replaced), 410
// invitation_expired naming whom to ask, 400 for a bad body, 413.
func (h *previewHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	var in previewTokenInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	p, err := h.svc.Preview(ctx, in.Token)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, p), nil
}

// Preview is the invitation-preview function's handler.
func Preview(d app.Deps) api.HandlerFunc {
	return newPreviewHandler(invite.New(d.Store(), nil, invite.ConfigFrom(d.Config))).Handle
}
