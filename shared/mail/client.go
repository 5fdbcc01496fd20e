package mail

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

// MustNewClient builds the process's one SES v2 client from the environment
// (AWS_ENDPOINT_URL_SESV2 points it at the local SES). The SDK makes one
// attempt per call: the outbox's sender owns the tries, their backoff and
// their timeouts. It panics when the AWS configuration cannot be loaded,
// which Lambda reports as an init error.
func MustNewClient(ctx context.Context) *sesv2.Client {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		panic(err)
	}
	return sesv2.NewFromConfig(cfg, func(o *sesv2.Options) { o.RetryMaxAttempts = 1 })
}
