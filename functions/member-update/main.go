// Command member-update is the PATCH /api/accounts/{accountId}/members/{userId} function:
// edits a member's role, permissions and names.
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
	lambda.Start(api.Wrap("member-update", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
