// Command invitation-accept is the POST /api/invitations/accept function.
package main

import (
	"roster/shared/app"
	"roster/shared/invitehttp"
)

func main() { app.HTTP("invitation-accept", invitehttp.Accept) }
