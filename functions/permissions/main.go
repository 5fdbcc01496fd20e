// Command permissions is the GET /api/permissions function: the permission
// catalog and role presets the site's editors are built from.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"roster/shared/api"
	"roster/shared/config"
	"roster/shared/domain"
)

func main() {
	cfg := config.MustFromEnv()
	h := NewHandler(domain.CatalogJSON())
	lambda.Start(api.Wrap("permissions", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
