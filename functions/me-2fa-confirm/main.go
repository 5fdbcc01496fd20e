// Command me-2fa-confirm is the POST /api/me/2fa/confirm function: it turns 2FA on with a first code and hands out the recovery codes.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("me-2fa-confirm", identityhttp.ConfirmTwoFactor) }
