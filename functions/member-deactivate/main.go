// Command member-deactivate is the POST /api/accounts/{accountId}/members/{userId}/deactivate function:
// blocks a member's access, keeping role and permissions.
package main

import (
	"roster/shared/app"
	"roster/shared/memberhttp"
)

func main() { app.HTTP("member-deactivate", memberhttp.Deactivate) }
