// Command history-list is the GET /api/accounts/{accountId}/history
// function: one page of an account's (or a member's) history of changes.
// It only reads: its role allows BatchGetItem (the session and membership),
// GetItem and Query, nothing that could change or delete an event.
package main

import (
	"roster/shared/app"
	"roster/shared/historyhttp"
)

func main() { app.HTTP("history-list", historyhttp.List) }
