// Command me-update is the PATCH /api/me function: the user changes their own name.
package main

import (
	"roster/shared/app"
	"roster/shared/identityhttp"
)

func main() { app.HTTP("me-update", identityhttp.UpdateMe) }
