// Command invitations-list is the GET /api/accounts/{accountId}/invitations function.
package main

import (
	"roster/shared/app"
	"roster/shared/invitehttp"
)

func main() { app.HTTP("invitations-list", invitehttp.List) }
