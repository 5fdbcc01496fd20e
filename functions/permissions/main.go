// Command permissions is the GET /api/permissions function: the permission
// catalog and role presets the site's editors are built from.
package main

import (
	"roster/shared/app"
)

func main() { app.HTTP("permissions", app.Permissions) }
