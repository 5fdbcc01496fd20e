// Command me-verification is the POST /api/me/verification function: it mails the email verification link again.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/config"
	"roster/shared/mail"
	"roster/shared/store"
)

func main() {
	ctx := context.Background()
	cfg := config.MustFromEnv()
	s := store.Open(ctx, cfg)
	h := NewHandler(auth.NewAuthenticator(s, !cfg.Local), s, mail.NewSender(mail.MustNewClient(ctx), cfg.MailFrom), cfg.SiteURL)
	lambda.Start(api.Wrap("me-verification", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
