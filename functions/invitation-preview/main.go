// Command invitation-preview is the POST /api/invitations/preview function.
package main

import (
	"roster/shared/app"
	"roster/shared/invitehttp"
)

func main() { app.HTTP("invitation-preview", invitehttp.Preview) }
