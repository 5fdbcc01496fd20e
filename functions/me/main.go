// Command me is the GET /api/me function: the signed-in user's own profile.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("me", identityhttp.Me) }
