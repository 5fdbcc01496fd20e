// Command accounts-list is the GET /api/accounts function: the accounts the signed-in user belongs to, with their role in each.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/config"
	"roster/shared/store"
)

func main() {
	ctx := context.Background()
	cfg := config.MustFromEnv()
	s := store.Open(ctx, cfg)
	h := NewHandler(auth.NewAuthenticator(s, !cfg.Local), s)
	lambda.Start(api.Wrap("accounts-list", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
