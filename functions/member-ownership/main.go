// Command member-ownership is the POST /api/accounts/{accountId}/ownership function:
// the owner hands the account over to an active admin.
package main

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/config"
	"roster/shared/domain"
	"roster/shared/members"
	"roster/shared/store"
)

func main() {
	cfg := config.MustFromEnv()
	st := store.New(store.MustNewClient(context.Background()), cfg.TableName).
		WithHistoryRetention(time.Duration(cfg.HistoryRetentionDays) * 24 * time.Hour)
	h := NewHandler(auth.NewAuthenticator(st, !cfg.Local), members.NewService(st, domain.DefaultCatalog()))
	lambda.Start(api.Wrap("member-ownership", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
