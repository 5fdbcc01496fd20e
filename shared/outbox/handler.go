package outbox

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"roster/shared/store"
	"roster/shared/telemetry"
)

// handler runs the sender on the stream records of queued mails.
type handler struct {
	sender *Sender
	log    *slog.Logger
}

// NewHandler returns the stream handler over s, logging to log.
func NewHandler(s *Sender, log *slog.Logger) func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	return (&handler{sender: s, log: log}).handle
}

func (h *handler) handle(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	start := time.Now()
	ctx, rec := telemetry.WithRecorder(ctx)
	var resp events.DynamoDBEventResponse
	done := 0
	for _, r := range ev.Records {
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < h.sender.Budget() {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
			break
		}
		id := MailIDOf(r)
		if id == "" {
			h.log.WarnContext(ctx, "stream record is not a mail", "eventId", r.EventID)
			continue
		}
		if err := h.sender.Deliver(ctx, id); err != nil {
			var re *RetryError
			if !errors.As(err, &re) {
				h.log.ErrorContext(ctx, "deliver mail", "mail", id, "err", err.Error())
			}
			// Later records of the shard wait for this one: stop here.
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
			break
		}
		done++
	}
	h.log.InfoContext(ctx, "mail batch", "records", len(ev.Records), "done", done, "failed", len(resp.BatchItemFailures),
		"durationMs", float64(time.Since(start).Microseconds())/1000, "ddb", rec.Summary())
	return resp, nil
}

// MailIDOf returns the id of the mail a stream record is about, or "".
func MailIDOf(r events.DynamoDBEventRecord) string {
	img := r.Change.NewImage
	typ, id := img[store.AttrType], img["mailId"]
	if typ.DataType() != events.DataTypeString || typ.String() != store.TypeMail || id.DataType() != events.DataTypeString {
		return ""
	}
	return id.String()
}
