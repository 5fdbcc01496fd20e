// Command member-deactivate is the POST /api/accounts/{accountId}/members/{userId}/deactivate function:
// blocks a member's access, keeping role and permissions.
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
	lambda.Start(api.Wrap("member-deactivate", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
