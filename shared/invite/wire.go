package invite

import (
	"context"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"roster/shared/config"
	"roster/shared/mail"
)

// ConfigFrom returns the service's settings from the deployment's
// configuration, with the default resend limits.
func ConfigFrom(c config.Config) Config {
	return Config{SiteURL: c.SiteURL, TTL: c.InvitationTTL, PerHour: c.InvitationsPerHour}
}

// MustSender returns the process's SES v2 sender from the environment
// (AWS_ENDPOINT_URL_SESV2 points it at the local SES). It panics when the
// AWS configuration cannot be loaded, which Lambda reports as an init error.
func MustSender(ctx context.Context, from string) *mail.Sender {
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		panic(err)
	}
	return mail.NewSender(sesv2.NewFromConfig(cfg), from)
}
