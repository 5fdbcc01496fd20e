// Command me-2fa-confirm is the POST /api/me/2fa/confirm function: it turns 2FA on with a first code and hands out the recovery codes.
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
	lambda.Start(api.Wrap("me-2fa-confirm", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
