// Command history-export is the GET /api/accounts/{accountId}/history/export
// function: the filtered history as a CSV or JSON-lines attachment.
// It only reads: its role allows BatchGetItem (the session and membership),
// GetItem and Query, nothing that could change or delete an event.
package main

import (
	"roster/shared/app"
	"roster/shared/historyhttp"
)

func main() { app.HTTP("history-export", historyhttp.Export) }
