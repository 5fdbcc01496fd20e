// Package eventbus publishes every history event to the host product:
// to EventBridge in AWS (source "roster", detail-type the action, detail
// the event as the history shows it), to a JSON-lines file under
// `make dev`. The events-publisher function runs it on the table's stream,
// so that an event is published once its change is committed, in the
// stream's order (per account: an account's history is one partition), a
// failed publish is retried, and after its last retry the record is kept
// in the function's dead-letter queue.
package eventbus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"roster/shared/domain"
	"roster/shared/history"
	"roster/shared/store"
)

// Source is the source of every event Roster publishes.
const Source = "roster"

// Detail is an event's detail: the history item as GET .../history shows
// it, with its account. It holds no token or secret: history never does.
type Detail struct {
	AccountID string `json:"accountId"`
	history.Item
}

// Entry is one event to publish.
type Entry struct {
	DetailType string
	Time       time.Time
	Detail     Detail
}

// EntryOf is the entry of a history event.
func EntryOf(ev domain.AuditEvent, cat *domain.Catalog) Entry {
	return Entry{DetailType: ev.Action, Time: ev.At, Detail: Detail{AccountID: ev.AccountID, Item: history.ItemOf(ev, cat)}}
}

// Publisher publishes entries in order. It returns how many it published
// before the first it could not, and why.
type Publisher interface {
	Publish(ctx context.Context, entries []Entry) (int, error)
}

// EventBridge publishes to an event bus, ten entries a call (PutEvents'
// most).
type EventBridge struct {
	Client *eventbridge.Client
	Bus    string
}

// Publish puts the entries on the bus.
func (p EventBridge) Publish(ctx context.Context, entries []Entry) (int, error) {
	for start := 0; start < len(entries); start += 10 {
		chunk := entries[start:min(start+10, len(entries))]
		in := &eventbridge.PutEventsInput{}
		for _, e := range chunk {
			detail, err := json.Marshal(e.Detail)
			if err != nil {
				return start, err
			}
			in.Entries = append(in.Entries, types.PutEventsRequestEntry{
				EventBusName: aws.String(p.Bus), Source: aws.String(Source), DetailType: aws.String(e.DetailType),
				Detail: aws.String(string(detail)), Time: aws.Time(e.Time),
			})
		}
		out, err := p.Client.PutEvents(ctx, in)
		if err != nil {
			return start, fmt.Errorf("eventbus: put events: %w", err)
		}
		if out.FailedEntryCount > 0 {
			for i, r := range out.Entries {
				if r.ErrorCode != nil {
					return start + i, fmt.Errorf("eventbus: put events: %s: %s", aws.ToString(r.ErrorCode), aws.ToString(r.ErrorMessage))
				}
			}
		}
	}
	return len(entries), nil
}

// File appends the events it would publish to a JSON-lines file, one
// EventBridge-shaped event a line, for local runs.
type File struct {
	Path string
	mu   sync.Mutex
}

// FileEvent is a line of the file: the event as EventBridge would deliver it.
type FileEvent struct {
	Source     string    `json:"source"`
	DetailType string    `json:"detail-type"`
	Time       time.Time `json:"time"`
	Detail     Detail    `json:"detail"`
}

// Publish appends the entries.
func (f *File) Publish(_ context.Context, entries []Entry) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
		return 0, err
	}
	out, err := os.OpenFile(f.Path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return 0, err
	}
	for i, e := range entries {
		line, err := json.Marshal(FileEvent{Source: Source, DetailType: e.DetailType, Time: e.Time.UTC(), Detail: e.Detail})
		if err == nil {
			_, err = out.Write(append(line, '\n'))
		}
		if err != nil {
			return i, errors.Join(err, out.Close())
		}
	}
	return len(entries), out.Close()
}

// NewHandler returns the stream handler that publishes the history events
// of a batch through p, in order. The records from the first one not
// published on are reported as batch item failures, to be retried.
func NewHandler(p Publisher, cat *domain.Catalog, log *slog.Logger) func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	return func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		start := time.Now()
		var entries []Entry
		var from []int // the record of each entry
		for i, r := range ev.Records {
			e, err := store.EventFromImage(r.Change.NewImage)
			if err != nil {
				// The filter lets only history events through: nothing to
				// retry in a record that is not one.
				log.WarnContext(ctx, "stream record is not a history event", "eventId", r.EventID, "err", err.Error())
				continue
			}
			entries = append(entries, EntryOf(e, cat))
			from = append(from, i)
		}
		var resp events.DynamoDBEventResponse
		n, err := p.Publish(ctx, entries)
		if n < len(entries) {
			resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: ev.Records[from[n]].Change.SequenceNumber}}
			log.ErrorContext(ctx, "publish events", "published", n, "failed", len(entries)-n, "err", fmt.Sprint(err))
		}
		log.InfoContext(ctx, "events batch", "records", len(ev.Records), "published", n,
			"durationMs", float64(time.Since(start).Microseconds())/1000)
		return resp, nil
	}
}
