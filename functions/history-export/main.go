// Command history-export is the GET /api/accounts/{accountId}/history/export
// function: the filtered history as a CSV or JSON-lines attachment.
// It only reads: its role allows BatchGetItem (the session and membership),
// GetItem and Query, nothing that could change or delete an event.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/config"
	"roster/shared/domain"
	"roster/shared/history"
	"roster/shared/store"
)

func main() {
	cfg := config.MustFromEnv()
	s := store.Open(context.Background(), cfg)
	a := auth.NewAuthenticator(history.ReadOnlySessions{Store: s}, !cfg.Local)
	h := NewHandler(s, a, domain.DefaultCatalog())
	lambda.Start(api.Wrap("history-export", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
