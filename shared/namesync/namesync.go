// Package namesync is the names-sync function: on the table's stream it
// copies a renamed user's names onto their memberships (member lists and
// search show them) and a renamed account's name onto its memberships (a
// user's accounts are one query). The rename itself wrote a name-sync
// record in its own transaction (store.NameSync), so a rename's request
// costs the same however many memberships it touches.
package namesync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"roster/shared/app"
	"roster/shared/store"
	"roster/shared/telemetry"
)

// Sync applies one name-sync record: it reads the user's or account's
// current names (so a record delivered late or twice writes what is true
// now, and writes nothing the second time) and updates the memberships
// that carry other ones. A user or account that is gone has nothing to
// sync. It returns the store's errors.
func Sync(ctx context.Context, s *store.Store, n store.NameSync) error {
	switch n.Kind {
	case store.NameSyncUser:
		u, err := s.GetUser(ctx, n.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		actor := n.Actor
		actor.UserID, actor.Email, actor.Name = u.ID, u.Email, u.Name()
		return s.SyncMemberNames(ctx, u, actor, n.At)
	case store.NameSyncAccount:
		_, err := s.SyncAccountName(ctx, n.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}
	return fmt.Errorf("namesync: unknown kind %q", n.Kind)
}

// NewHandler returns the stream handler over s. Its event source mapping
// lets through only inserts of name-sync records (deploy.NameSyncFilter).
// A record that fails is reported as a batch item failure, with the
// records after it, so that they are retried in order; after the last
// retry the record goes to the function's dead-letter queue.
func NewHandler(s *store.Store, log *slog.Logger) func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	return func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		start := time.Now()
		ctx, rec := telemetry.WithRecorder(ctx)
		var resp events.DynamoDBEventResponse
		done := 0
		for _, r := range ev.Records {
			img, err := store.FromStreamImage(r.Change.NewImage)
			var n store.NameSync
			if err == nil {
				n, err = store.NameSyncFromImage(img)
			}
			if err == nil {
				err = Sync(ctx, s, n)
			}
			if err != nil {
				log.ErrorContext(ctx, "sync names", "eventId", r.EventID, "kind", n.Kind, "id", n.ID, "err", err.Error())
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
				break // later records of the shard wait for this one
			}
			done++
		}
		log.InfoContext(ctx, "names batch", "records", len(ev.Records), "done", done, "failed", len(resp.BatchItemFailures),
			"durationMs", float64(time.Since(start).Microseconds())/1000, "ddb", rec.Summary())
		return resp, nil
	}
}

// Function is the names-sync function's handler.
func Function(d app.Deps) func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	return NewHandler(d.Store(), d.Logger)
}
