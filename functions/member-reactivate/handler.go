package main

import (
	"roster/shared/auth"
	"roster/shared/members"
)

// NewHandler returns the handler of POST /api/accounts/{accountId}/members/{userId}/reactivate,
// the members package's status handler shared with the deactivate function.
func NewHandler(a *auth.Authenticator, s *members.Service) *members.StatusHandler {
	return members.NewStatusHandler(a, s, true)
}
