// Command account-update is the PATCH /api/accounts/{accountId} function:
// it renames an account.
package main

import (
	"roster/shared/accounthttp"
	"roster/shared/app"
)

func main() { app.HTTP("account-update", accounthttp.Rename) }
