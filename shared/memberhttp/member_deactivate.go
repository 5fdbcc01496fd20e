package memberhttp

import (
	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/members"
)

// newDeactivateHandler returns the handler of POST /api/accounts/{accountId}/members/{userId}/deactivate,
// the members package's status handler shared with the reactivate function.
func newDeactivateHandler(a *auth.Authenticator, s *members.Service) *statusHandler {
	return newStatusHandler(a, s, false)
}

// Deactivate is the member-deactivate function's handler.
func Deactivate(d app.Deps) api.HandlerFunc {
	return newDeactivateHandler(d.Authenticator(), members.NewService(d.Store(), d.Catalog)).Handle
}
