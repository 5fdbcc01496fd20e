// Command account-update is the PATCH /api/accounts/{accountId} function:
// it renames an account.
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
	cfg := config.MustFromEnv()
	s := store.Open(context.Background(), cfg)
	h := NewHandler(auth.NewAuthenticator(s, !cfg.Local), s)
	lambda.Start(api.Wrap("account-update", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
