// Command members-list is the GET /api/accounts/{accountId}/members function:
// the account's members by status, in name order, paged, or those matching a prefix search.
package main

import (
	"roster/shared/app"
	"roster/shared/memberhttp"
)

func main() { app.HTTP("members-list", memberhttp.List) }
