// Command member-remove is the DELETE /api/accounts/{accountId}/members/{userId} function:
// removes a member's access to the account.
package main

import (
	"roster/shared/app"
	"roster/shared/memberhttp"
)

func main() { app.HTTP("member-remove", memberhttp.Remove) }
