// Command me-2fa is the POST /api/me/2fa function: it starts enrolling a TOTP second factor.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("me-2fa", identityhttp.StartTwoFactor) }
