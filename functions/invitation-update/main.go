// Command invitation-update is the PATCH /api/accounts/{accountId}/invitations/{id} function.
package main

import (
	"roster/shared/app"
	"roster/shared/invitehttp"
)

func main() { app.HTTP("invitation-update", invitehttp.Update) }
