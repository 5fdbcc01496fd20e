// Command me-2fa-delete is the DELETE /api/me/2fa function: it turns 2FA off.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("me-2fa-delete", identityhttp.DeleteTwoFactor) }
