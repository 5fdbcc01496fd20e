// Package devstack holds what the local stack's commands share: the
// gateway configuration that runs the template's functions, built for
// this machine, against the stand-ins.
package devstack

import (
	"path/filepath"

	"roster/infra/local/gateway"
	"roster/infra/local/samtemplate"
	"roster/shared/eventbus"
	"roster/shared/tokens"
)

// Options are the stand-ins and names the functions run with.
type Options struct {
	// Root is the repository's root.
	Root string
	// DynamoDB and SES are the stand-ins' endpoints.
	DynamoDB, SES string
	// SiteURL is the site's origin; Table the table's name; MailFrom the
	// sender of the emails; EventsLog the file the events publisher writes.
	SiteURL, Table, MailFrom, EventsLog string
	// Processes bounds the processes of one function (0: the gateway's
	// default).
	Processes int
}

// GatewayConfig returns the gateway configuration of the template's
// functions over the stand-ins. The caller adds the site, the logs and,
// when it wants them, the contract and more environment.
func GatewayConfig(tpl *samtemplate.Template, o Options) gateway.Config {
	return gateway.Config{
		MaxConcurrency: o.Processes,
		Template:       tpl,
		Refs: map[string]string{
			"Table":     o.Table,
			"TableName": o.Table,
			"SiteUrl":   o.SiteURL,
			"MailFrom":  o.MailFrom,
			// The local SES has no configuration sets (nor bounce events):
			// an empty name makes the functions send without one.
			"MailConfigurationSet": "",
		},
		// template.yaml points at the linux/arm64 binaries Lambda runs;
		// locally the same functions are built for this machine's CPU.
		CodeDir: func(codeURI string) string {
			return filepath.Join(o.Root, ".build/host", filepath.Base(codeURI))
		},
		Env: []string{
			"AWS_ENDPOINT_URL_DYNAMODB=" + o.DynamoDB,
			"AWS_ENDPOINT_URL_SESV2=" + o.SES,
			"AWS_ACCESS_KEY_ID=local",
			"AWS_SECRET_ACCESS_KEY=local",
			"AWS_REGION=us-east-1",
			"ROSTER_SERVER_TIMING=1",
			// The access tokens' signing key: a key file made on first use
			// and kept between runs (KMS keys in AWS).
			tokens.KeyFilesEnv + "=" + filepath.Join(o.Root, ".build/keys/token-signing.pem"),
			// The history events the events publisher would put on
			// EventBridge, one JSON line each.
			eventbus.LogEnv + "=" + o.EventsLog,
		},
	}
}
