// Command stream-expired consumes the table's DynamoDB stream (no route).
// Its event source mapping lets through only the REMOVE records that
// DynamoDB's TTL service made of invitation items still pending, and for
// each it writes the invitation.expired event into the account's history
// with one conditional PutItem (idempotent: the event id is derived from the
// invitation's).
//
// Locally, DynamoDB Local runs no TTL deletions and make dev runs no stream
// consumer, so this function never runs there: an invitation that expires
// unaccepted shows as expired (expiry is enforced on read) and gets its
// expired event only when a new invitation to the same email replaces it.
// In AWS, TTL deletes an invitation item InvitationRetention (30 days) after
// its expiry, and the event, dated at the expiry, appears then. The tests
// feed the handler real stream records built from real invitation items.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"roster/shared/api"
	"roster/shared/config"
	"roster/shared/store"
)

func main() {
	cfg := config.MustFromEnv()
	s := store.Open(context.Background(), cfg)
	h := NewHandler(s, api.NewLogger().With("function", "stream-expired"))
	lambda.Start(h.Handle)
}
