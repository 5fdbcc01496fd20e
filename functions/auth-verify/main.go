// Command auth-verify is the POST /api/auth/verify function: it confirms an
// email address with the token from the emailed link.
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
	lambda.Start(api.Wrap("auth-verify", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
