// Command auth-password-reset-confirm is the POST
// /api/auth/password-reset/confirm function: it sets a new password with
// the emailed token and ends every session of the user.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"roster/shared/api"
	"roster/shared/config"
	"roster/shared/store"
)

func main() {
	cfg := config.MustFromEnv()
	h := NewHandler(store.Open(context.Background(), cfg))
	lambda.Start(api.Wrap("auth-password-reset-confirm", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
