package memberhttp

import (
	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/members"
)

// newReactivateHandler returns the handler of POST /api/accounts/{accountId}/members/{userId}/reactivate,
// the members package's status handler shared with the deactivate function.
func newReactivateHandler(a *auth.Authenticator, s *members.Service) *statusHandler {
	return newStatusHandler(a, s, true)
}

// Reactivate is the member-reactivate function's handler.
func Reactivate(d app.Deps) api.HandlerFunc {
	return newReactivateHandler(d.Authenticator(), members.NewService(d.Store(), d.Catalog)).Handle
}
