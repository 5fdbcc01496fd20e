// Command me-password is the POST /api/me/password function: the user changes their password, ending their other sessions.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("me-password", identityhttp.ChangePassword) }
