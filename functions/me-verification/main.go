// Command me-verification is the POST /api/me/verification function: it mails the email verification link again.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("me-verification", identityhttp.ResendVerification) }
