// Command auth-register is the POST /api/auth/register function: it creates
// a login, mails the email verification link and signs the new user in
// (unverified, so only to finish verification).
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("auth-register", identityhttp.Register) }
