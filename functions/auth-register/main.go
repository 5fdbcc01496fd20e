// Command auth-register is the POST /api/auth/register function: it creates
// a login, mails the email verification link and signs the new user in
// (unverified, so only to finish verification).
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
	h := NewHandler(s, mail.NewSender(mail.MustNewClient(ctx), cfg.MailFrom), cfg.SiteURL, !cfg.Local)
	lambda.Start(api.Wrap("auth-register", api.OptionsFromEnv(cfg.SiteURL), h.Handle))
}
