package members

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/auth"
)

// StatusHandler answers POST /api/accounts/{accountId}/members/{userId}/deactivate
// and .../reactivate: the two functions differ only in the status they set.
type StatusHandler struct {
	auth    *auth.Authenticator
	members *Service
	active  bool
}

// NewStatusHandler returns the handler that deactivates (active false) or
// reactivates (active true) a member.
func NewStatusHandler(a *auth.Authenticator, s *Service, active bool) *StatusHandler {
	return &StatusHandler{auth: a, members: s, active: active}
}

// Handle authenticates the request as a member of the account (401, 404
// account_not_found, 403 member_deactivated) and sets the target's status.
// The body is {version}. A deactivated member keeps role and permissions and
// is refused from their next request on; reactivation restores them as they
// were. Errors: 400 for a missing version, 403 from the grant rules, 404
// member_not_found, 409 stale_version with the current member.
func (h *StatusHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	userID, err := api.PathParam(req, "userId")
	if err != nil {
		return api.Response{}, err
	}
	version, err := VersionOf(req)
	if err != nil {
		return api.Response{}, err
	}
	m, err := h.members.SetStatus(ctx, actor, accountID, userID, version, h.active)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, m), nil
}
