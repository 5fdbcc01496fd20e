// Command invitation-resend is the POST /api/accounts/{accountId}/invitations/{id}/resend function.
package main

import (
	"roster/shared/app"
	"roster/shared/invitehttp"
)

func main() { app.HTTP("invitation-resend", invitehttp.Resend) }
