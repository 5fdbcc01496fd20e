// Command auth-logout is the POST /api/auth/logout function: it ends the
// session at once and clears the cookie.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("auth-logout", identityhttp.Logout) }
