// Command members-list is the GET /api/accounts/{accountId}/members function:
// the account's members by status, in name order, paged, or those matching a prefix search.
package main

import (
	"context"

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
	st := store.Open(context.Background(), cfg)
	h := NewHandler(auth.NewAuthenticator(st, !cfg.Local), members.NewService(st, domain.DefaultCatalog()))
	lambda.Start(api.Wrap("members-list", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
