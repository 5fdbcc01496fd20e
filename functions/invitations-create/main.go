// Command invitations-create is the POST /api/accounts/{accountId}/invitations function.
package main

import (
	"roster/shared/app"
	"roster/shared/invitehttp"
)

func main() { app.HTTP("invitations-create", invitehttp.Create) }
