// Command auth-login is the POST /api/auth/login function: email and
// password, then the TOTP or recovery code where 2FA is on; it sets the
// session cookie.
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
	s := store.Open(context.Background(), cfg)
	h := NewHandler(s, !cfg.Local)
	lambda.Start(api.Wrap("auth-login", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
