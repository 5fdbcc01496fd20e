package memberhttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/members"
)

// statusHandler answers POST /api/accounts/{accountId}/members/{userId}/deactivate
// and .../reactivate: the two functions differ only in the status they set.
type statusHandler struct {
	auth    *auth.Authenticator
	members *members.Service
	active  bool
}

// newStatusHandler returns the handler that deactivates (active false) or
// reactivates (active true) a member.
func newStatusHandler(a *auth.Authenticator, s *members.Service, active bool) *statusHandler {
	return &statusHandler{auth: a, members: s, active: active}
}

// Handle authenticates the request as a member of the account (401, 404
// account_not_found, 403 member_deactivated) and sets the target's status.
// The body is {version}. A deactivated member keeps role and permissions and
// is refused from their next request on; reactivation restores them as they
// were. Errors: 400 for a missing version, 403 from the grant rules, 404
// member_not_found, 409 stale_version with the current member.
func (h *statusHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	userID, err := api.PathParam(req, "userId")
	if err != nil {
		return api.Response{}, err
	}
	version, err := versionOf(req)
	if err != nil {
		return api.Response{}, err
	}
	m, err := h.members.SetStatus(ctx, actor, accountID, userID, version, h.active)
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, m), nil
}
