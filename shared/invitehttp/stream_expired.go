package invitehttp

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/app"
	"roster/shared/store"
	"roster/shared/telemetry"
)

// expiredRecorder is the part of the store the stream function writes with.
type expiredRecorder interface {
	RecordInvitationExpired(ctx context.Context, old map[string]types.AttributeValue) (bool, error)
}

// expiredHandler consumes the table's stream: for every invitation expiry marker
// that DynamoDB TTL deleted (the marker exists only while its invitation is
// pending, and its TTL is the invitation's expiry), it writes the
// invitation.expired event into the account's history. TTL removals of
// invitation items themselves (InvitationRetention after their expiry) are
// ignored: the filter does not let them through, and the store skips any
// image that is not a marker.
type expiredHandler struct {
	store expiredRecorder
	log   *slog.Logger
}

// newExpiredHandler returns the stream handler over s, logging to log.
func newExpiredHandler(s expiredRecorder, log *slog.Logger) *expiredHandler {
	return &expiredHandler{store: s, log: log}
}

// ttlPrincipal is the identity of DynamoDB's TTL service in a stream
// record of a deletion it made.
const ttlPrincipal = "dynamodb.amazonaws.com"

// IsTTLRemoval reports whether a stream record is an item deleted by TTL,
// the only records the event source mapping's filter lets through (checked
// here as well, so that a wider filter cannot make the function act on an
// ordinary deletion).
func IsTTLRemoval(r events.DynamoDBEventRecord) bool {
	return r.EventName == "REMOVE" && r.UserIdentity != nil &&
		r.UserIdentity.Type == "Service" && r.UserIdentity.PrincipalID == ttlPrincipal
}

// Handle writes the expired events of a batch. Each write is idempotent
// (the event's id is derived from the invitation's and its expiry, and the put is
// conditional), so a batch retried after a partial failure, or a record
// delivered twice, writes each event once. Records that fail are reported
// as batch item failures so that only they (and what follows them in the
// shard) are retried.
func (h *expiredHandler) Handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	start := time.Now()
	ctx, rec := telemetry.WithRecorder(ctx)
	var resp events.DynamoDBEventResponse
	written, skipped := 0, 0
	for _, r := range ev.Records {
		if !IsTTLRemoval(r) {
			skipped++
			continue
		}
		old, err := store.FromStreamImage(r.Change.OldImage)
		var ok bool
		if err == nil {
			ok, err = h.store.RecordInvitationExpired(ctx, old)
		}
		if err != nil {
			h.log.ErrorContext(ctx, "record expired invitation", "eventId", r.EventID, "err", err.Error())
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
			// Later records of the shard wait for this one: stop here.
			break
		}
		if ok {
			written++
		} else {
			skipped++
		}
	}
	h.log.InfoContext(ctx, "stream batch", "records", len(ev.Records), "written", written, "skipped", skipped,
		"failed", len(resp.BatchItemFailures), "durationMs", float64(time.Since(start).Microseconds())/1000, "ddb", rec.Summary())
	return resp, nil
}

// Expired is the stream-expired function's handler. It consumes the table's DynamoDB stream (no route).
// Its event source mapping lets through only the REMOVE records that
// DynamoDB's TTL service made of invitation expiry markers (items of type
// invitationExpiry, whose TTL is the invitation's expiry, kept only while
// the invitation is pending), and for each it writes the invitation.expired
// event, dated at the expiry, into the account's history with one
// conditional PutItem (idempotent: the event id is derived from the
// invitation's and its expiry, so a record delivered twice, or an event
// that replacing or resending the expired invitation wrote already, is one
// event). In AWS the event appears within TTL's delay after the expiry
// (usually minutes, at worst a couple of days).
//
// Locally it runs the same way: roster-local (make dev) runs its poller on
// DynamoDB Local's stream through the gateway, with the template's filter,
// and a TTL emulator that deletes due items within about a second (see
// infra/local/streams; -no-streams turns both off). The tests feed the
// handler real stream records built from real marker items, and
// infra/local/streams' end-to-end test runs the built function.
func Expired(d app.Deps) func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	return newExpiredHandler(d.Store(), d.Logger).Handle
}
