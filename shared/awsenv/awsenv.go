// Package awsenv builds the AWS SDK configuration of a Lambda function from
// the environment Lambda (or the local gateway) gives it: the region, the
// execution role's credentials and, locally, a service's endpoint.
//
// It stands in for config.LoadDefaultConfig, which links every credential
// source the SDK knows (SSO, SSO-OIDC, STS assume-role and web identity,
// sign-in): about 0.6 MB of each bootstrap and of its cold start that a
// function, whose credentials are always in its environment, never uses.
package awsenv

import (
	"errors"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// ErrNoCredentials is returned when the environment holds no access key.
var ErrNoCredentials = errors.New("awsenv: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")

// Config returns the SDK configuration the environment describes for a
// client of service (its SDK id, for example "DynamoDB" or "SESv2"):
// AWS_REGION (or AWS_DEFAULT_REGION); the credentials in AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, which Lambda sets from the
// function's role for the life of the execution environment; and the
// endpoint AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL, as the SDK's
// shared configuration reads them, when one is set (local runs). It returns
// ErrNoCredentials when there are no credentials.
func Config(service string) (aws.Config, error) {
	id, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		return aws.Config{}, ErrNoCredentials
	}
	region := os.Getenv("AWS_REGION")
	if region == "" {
		region = os.Getenv("AWS_DEFAULT_REGION")
	}
	return aws.Config{
		Region:       region,
		Credentials:  aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, os.Getenv("AWS_SESSION_TOKEN"))),
		BaseEndpoint: endpoint(service),
	}, nil
}

// endpoint returns the endpoint set for service, or nil for the service's
// own.
func endpoint(service string) *string {
	name := "AWS_ENDPOINT_URL_" + strings.ToUpper(strings.ReplaceAll(service, " ", "_"))
	for _, v := range []string{os.Getenv(name), os.Getenv("AWS_ENDPOINT_URL")} {
		if v != "" {
			return aws.String(v)
		}
	}
	return nil
}
