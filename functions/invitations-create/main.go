// Command invitations-create is the POST /api/accounts/{accountId}/invitations function.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/config"
	"roster/shared/invite"
	"roster/shared/store"
)

func main() {
	ctx := context.Background()
	cfg := config.MustFromEnv()
	st := store.Open(ctx, cfg)
	svc := invite.New(st, invite.MustSender(ctx, cfg.MailFrom), invite.ConfigFrom(cfg))
	h := NewHandler(auth.NewAuthenticator(st, !cfg.Local), svc)
	lambda.Start(api.Wrap("invitations-create", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
