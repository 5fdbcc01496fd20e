// Command accounts-list is the GET /api/accounts function: the accounts the signed-in user belongs to, with their role in each.
package main

import (
	"roster/shared/accounthttp"
	"roster/shared/app"
)

func main() { app.HTTP("accounts-list", accounthttp.List) }
