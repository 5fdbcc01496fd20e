// Command auth-password-reset is the POST /api/auth/password-reset
// function: it mails a single-use reset link when the address has a login,
// and answers the same either way.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"roster/shared/api"
	"roster/shared/config"
	"roster/shared/mail"
	"roster/shared/store"
)

func main() {
	ctx := context.Background()
	cfg := config.MustFromEnv()
	s := store.Open(ctx, cfg)
	h := NewHandler(s, mail.NewSender(mail.MustNewClient(ctx), cfg.MailFrom), cfg.SiteURL)
	lambda.Start(api.Wrap("auth-password-reset", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
