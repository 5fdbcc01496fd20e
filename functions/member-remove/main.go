// Command member-remove is the DELETE /api/accounts/{accountId}/members/{userId} function:
// removes a member's access to the account.
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
	lambda.Start(api.Wrap("member-remove", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
