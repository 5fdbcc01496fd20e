// Command auth-password-reset is the POST /api/auth/password-reset
// function: it mails a single-use reset link when the address has a login,
// and answers the same either way.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("auth-password-reset", identityhttp.PasswordReset) }
