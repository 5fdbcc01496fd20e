// Command member-reactivate is the POST /api/accounts/{accountId}/members/{userId}/reactivate function:
// restores a deactivated member's access.
package main

import (
	"roster/shared/app"
	"roster/shared/memberhttp"
)

func main() { app.HTTP("member-reactivate", memberhttp.Reactivate) }
