// Command health is the GET /api/health function: it answers whether the
// table is reachable.
package main

import (
	"roster/shared/app"
)

func main() { app.HTTP("health", app.Health) }
