// Command member-get is the GET /api/accounts/{accountId}/members/{userId} function:
// one member.
package main

import (
	"roster/shared/app"
	"roster/shared/memberhttp"
)

func main() { app.HTTP("member-get", memberhttp.Get) }
