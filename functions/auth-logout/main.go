// Command auth-logout is the POST /api/auth/logout function: it ends the
// session at once and clears the cookie.
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
	lambda.Start(api.Wrap("auth-logout", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
