package mail

import (
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"roster/shared/awsenv"
)

// MustNewClient builds the process's one SES v2 client from the environment
// (awsenv; AWS_ENDPOINT_URL_SESV2 points it at the local SES). The SDK makes
// one attempt per call: the outbox's sender owns the tries, their backoff
// and their timeouts. It panics when there are no credentials, which Lambda
// reports as an init error.
func MustNewClient() *sesv2.Client {
	cfg, err := awsenv.Config("SESv2")
	if err != nil {
		panic(err)
	}
	return sesv2.NewFromConfig(cfg, func(o *sesv2.Options) { o.RetryMaxAttempts = 1 })
}
