// Package mailsender wires the mail-sender function: the outbox's sender
// over the deployment's table and SES (shared/outbox holds the rules).
package mailsender

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"roster/shared/app"
	"roster/shared/mail"
	"roster/shared/outbox"
)

// Send is the mail-sender function's handler. It consumes the table's
// stream (no route): its event source mapping lets through only mail items
// written queued and not yet attempted (deploy.QueuedMailFilter), and it
// delivers them in stream order. A mail that fails transiently, and the
// records after it, are reported as batch item failures, so that the event
// source mapping retries them; after its last retry the record goes to the
// function's dead-letter queue (an SQS queue in AWS, a JSON-lines file
// under roster-local). A mail it has no time left to try is left for the
// retry the same way.
//
// Locally roster-local (make dev) runs it on DynamoDB Local's stream with
// the template's filter, against the local SES.
func Send(d app.Deps) func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	cfg := outbox.Config{SiteURL: d.Config.SiteURL, PerSecond: float64(d.Config.MailSendRate), MaxAttempts: d.Config.MailMaxAttempts, Logger: d.Logger}
	s := outbox.New(d.Store(), mail.NewSender(mail.MustNewClient(), d.Config.MailFrom), cfg, d.Catalog)
	return outbox.NewHandler(s, d.Logger)
}
