// Command invitation-revoke is the DELETE /api/accounts/{accountId}/invitations/{id} function.
package main

import (
	"roster/shared/app"
	"roster/shared/invitehttp"
)

func main() { app.HTTP("invitation-revoke", invitehttp.Revoke) }
