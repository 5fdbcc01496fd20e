// Command member-update is the PATCH /api/accounts/{accountId}/members/{userId} function:
// edits a member's role, permissions and names.
package main

import (
	"roster/shared/app"
	"roster/shared/memberhttp"
)

func main() { app.HTTP("member-update", memberhttp.Update) }
