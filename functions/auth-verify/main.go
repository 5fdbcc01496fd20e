// Command auth-verify is the POST /api/auth/verify function: it confirms an
// email address with the token from the emailed link.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("auth-verify", identityhttp.Verify) }
