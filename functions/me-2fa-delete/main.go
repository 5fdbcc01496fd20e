// Command me-2fa-delete is the DELETE /api/me/2fa function: it turns 2FA off.
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
	lambda.Start(api.Wrap("me-2fa-delete", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
