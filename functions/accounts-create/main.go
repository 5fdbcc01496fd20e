// Command accounts-create is the POST /api/accounts function: the signed-in user creates an account and becomes its owner.
package main

import (
	"roster/shared/accounthttp"
	"roster/shared/app"
)

func main() { app.HTTP("accounts-create", accounthttp.Create) }
