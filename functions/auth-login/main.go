// Command auth-login is the POST /api/auth/login function: email and
// password, then the TOTP or recovery code where 2FA is on; it sets the
// session cookie.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("auth-login", identityhttp.Login) }
