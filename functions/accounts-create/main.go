// Command accounts-create is the POST /api/accounts function: the signed-in user creates an account and becomes its owner.
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
	lambda.Start(api.Wrap("accounts-create", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
