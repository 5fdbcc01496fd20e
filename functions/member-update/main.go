// Command member-update is the PATCH /api/accounts/{accountId}/members/{userId} function:
// edits a member's role, permissions and names.
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
	lambda.Start(api.Wrap("member-update", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
