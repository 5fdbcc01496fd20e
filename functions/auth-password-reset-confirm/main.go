// Command auth-password-reset-confirm is the POST
// /api/auth/password-reset/confirm function: it sets a new password with
// the emailed token and ends every session of the user.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("auth-password-reset-confirm", identityhttp.PasswordResetConfirm) }
