// Command invitation-preview is the POST /api/invitations/preview function.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"roster/shared/api"
	"roster/shared/config"
	"roster/shared/invite"
	"roster/shared/store"
)

func main() {
	ctx := context.Background()
	cfg := config.MustFromEnv()
	st := store.Open(ctx, cfg)
	svc := invite.New(st, nil, invite.ConfigFrom(cfg))
	h := NewHandler(svc)
	lambda.Start(api.Wrap("invitation-preview", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
