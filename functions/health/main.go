// Command health is the GET /api/health function: it answers whether the
// table is reachable.
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
	lambda.Start(api.Wrap("health", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
