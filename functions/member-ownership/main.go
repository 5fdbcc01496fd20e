// Command member-ownership is the POST /api/accounts/{accountId}/ownership function:
// the owner hands the account over to an active admin.
package main

import (
	"roster/shared/app"
	"roster/shared/memberhttp"
)

func main() { app.HTTP("member-ownership", memberhttp.Ownership) }
