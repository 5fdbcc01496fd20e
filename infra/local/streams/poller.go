package streams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"roster/shared/wait"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// InvokeFunc runs a function on an event payload and returns its response
// payload (gateway.Gateway.Invoke has this shape).
type InvokeFunc func(ctx context.Context, function string, payload []byte) ([]byte, error)

// IdentityFunc returns the userIdentity of a record the stream itself does
// not carry one for (DynamoDB Local never sets it), or nil.
type IdentityFunc func(r events.DynamoDBEventRecord) *events.DynamoDBUserIdentity

// PollerConfig configures a Poller.
type PollerConfig struct {
	Clients
	// Table is the table whose stream is read.
	Table string
	// Region is the records' awsRegion; "" means us-east-1.
	Region string
	// Source is the function's event: filters, batch size, retries.
	Source Source
	// Invoke runs the function.
	Invoke InvokeFunc
	// Identity marks the removals made by the TTL emulator (TTL.Identity); nil marks none.
	Identity IdentityFunc
	// PollInterval is the pause after a round that found no records; 0 means 250ms.
	PollInterval time.Duration
	// RetryDelay is the first pause before a failed batch is retried,
	// doubled on each retry up to 5s; 0 means 200ms.
	RetryDelay time.Duration
	// Logger receives one line per delivered batch and the errors; nil discards.
	Logger *slog.Logger
	// DeadLetterDir, when set, stands in for the on-failure destinations:
	// a batch whose retries are spent under a Source with OnFailure is
	// appended, as the record Lambda sends such a destination, to
	// <DeadLetterDir>/<OnFailure>.jsonl.
	DeadLetterDir string
}

// Poller is Lambda's DynamoDB event source mapping for one function, run
// locally: it reads the table's stream from its oldest record (or LATEST,
// as the Source says), keeps the records that pass the FilterCriteria, and
// invokes the function with batches shaped exactly as Lambda's
// DynamoDBEvent, in order within each shard. A batch the function fails is
// retried (from the first record its batchItemFailures names, when it
// reports them), at most Source.MaxRetries times, after which its remaining
// records are dropped with an error line, as Lambda does without an
// on-failure destination. BisectBatchOnFunctionError is not emulated.
type Poller struct {
	cfg PollerConfig
}

// NewPoller returns a poller; Run starts it.
func NewPoller(cfg PollerConfig) *Poller {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 250 * time.Millisecond
	}
	if cfg.RetryDelay <= 0 {
		cfg.RetryDelay = 200 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Source.BatchSize <= 0 {
		cfg.Source.BatchSize = 100
	}
	return &Poller{cfg: cfg}
}

// Run polls until ctx is done and returns ctx's error, or an error when
// the table has no stream.
func (p *Poller) Run(ctx context.Context) error {
	r := &reader{c: p.cfg.Clients, table: p.cfg.Table, latest: p.cfg.Source.Latest, idle: p.cfg.PollInterval,
		log: p.cfg.Logger, name: p.cfg.Source.Function}
	return r.run(ctx, p.handlePage)
}

// handlePage filters and converts one page of records and delivers it in
// batches.
func (p *Poller) handlePage(ctx context.Context, arn string, recs []types.Record) error {
	var keep []events.DynamoDBEventRecord
	for _, rec := range recs {
		ev := toEvent(rec, arn, p.cfg.Region)
		if ev.UserIdentity == nil && p.cfg.Identity != nil {
			ev.UserIdentity = p.cfg.Identity(ev)
		}
		doc, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("streams: encode record: %w", err)
		}
		if p.cfg.Source.Filters.Match(doc) {
			keep = append(keep, ev)
		}
	}
	for len(keep) > 0 {
		n := min(len(keep), p.cfg.Source.BatchSize)
		if err := p.deliver(ctx, keep[:n]); err != nil {
			return err
		}
		keep = keep[n:]
	}
	return nil
}

// deliver invokes the function with batch until it succeeds or the retries
// are spent; it returns an error only when ctx is done.
func (p *Poller) deliver(ctx context.Context, batch []events.DynamoDBEventRecord) error {
	fn := p.cfg.Source.Function
	for attempt := 0; ; attempt++ {
		start := time.Now()
		payload, err := json.Marshal(events.DynamoDBEvent{Records: batch})
		if err != nil {
			return fmt.Errorf("streams: encode batch: %w", err)
		}
		out, err := p.cfg.Invoke(ctx, fn, payload)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		failedAt, reason := p.failedFrom(batch, out, err)
		attrs := []slog.Attr{
			slog.String("function", fn), slog.Int("records", len(batch)),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.String("first_sequence", batch[0].Change.SequenceNumber), slog.Int("attempt", attempt+1),
		}
		if failedAt < 0 {
			p.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "stream batch", attrs...)
			return nil
		}
		attrs = append(attrs, slog.Int("failed", len(batch)-failedAt), slog.String("error", reason))
		p.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "stream batch", attrs...)
		batch = batch[failedAt:]
		if attempt >= p.cfg.Source.MaxRetries {
			msg := "stream records dropped"
			if err := p.deadLetter(batch, attempt, reason); err != nil {
				p.cfg.Logger.Error("dead letter", slog.String("function", fn), slog.String("error", err.Error()))
			} else if p.cfg.Source.OnFailure != "" && p.cfg.DeadLetterDir != "" {
				msg = "stream records sent to the dead-letter queue " + p.cfg.Source.OnFailure
			}
			p.cfg.Logger.LogAttrs(ctx, slog.LevelError, msg,
				slog.String("function", fn), slog.Int("records", len(batch)), slog.Int("retries", attempt),
				slog.String("first_sequence", batch[0].Change.SequenceNumber))
			return nil
		}
		if err := wait.For(ctx, backoff(p.cfg.RetryDelay, attempt)); err != nil {
			return err
		}
	}
}

// deadLetter appends the batch's on-failure record to the source's
// dead-letter file, shaped as the invocation record Lambda sends an
// on-failure destination of a stream (its batch info, not the records:
// they stay in the stream for 24 hours, and the README says how to replay
// them).
func (p *Poller) deadLetter(batch []events.DynamoDBEventRecord, retries int, reason string) error {
	if p.cfg.Source.OnFailure == "" || p.cfg.DeadLetterDir == "" {
		return nil
	}
	first, last := batch[0], batch[len(batch)-1]
	rec := map[string]any{
		"requestContext": map[string]any{
			"requestId": fmt.Sprintf("%s-%s", p.cfg.Source.Function, first.Change.SequenceNumber), "functionArn": p.cfg.Source.Function,
			"condition": "RetryAttemptsExhausted", "approximateInvokeCount": retries + 1,
		},
		"responseContext": map[string]any{"statusCode": 200, "executedVersion": "$LATEST", "functionError": reason},
		"version":         "1.0",
		"timestamp":       time.Now().UTC().Format(time.RFC3339Nano),
		"DDBStreamBatchInfo": map[string]any{
			"shardId": "local", "startSequenceNumber": first.Change.SequenceNumber, "endSequenceNumber": last.Change.SequenceNumber,
			"approximateArrivalOfFirstRecord": first.Change.ApproximateCreationDateTime.UTC().Format(time.RFC3339),
			"approximateArrivalOfLastRecord":  last.Change.ApproximateCreationDateTime.UTC().Format(time.RFC3339),
			"batchSize":                       len(batch), "streamArn": first.EventSourceArn,
		},
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(p.cfg.DeadLetterDir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(p.cfg.DeadLetterDir, p.cfg.Source.OnFailure+".jsonl"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return errors.Join(err, f.Close())
}

// failedFrom returns the index of the first record to retry, or -1 when
// the batch succeeded, and why. As in Lambda: an invocation error retries
// the whole batch; with ReportBatchItemFailures, the batch is retried from
// the earliest failed record, and as a whole when an identifier is empty
// or not in the batch, or the response is not a valid one.
func (p *Poller) failedFrom(batch []events.DynamoDBEventRecord, out []byte, err error) (int, string) {
	if err != nil {
		return 0, err.Error()
	}
	if !p.cfg.Source.ReportBatchItemFailures {
		return -1, ""
	}
	var resp events.DynamoDBEventResponse
	if len(out) == 0 || string(out) == "null" {
		return -1, ""
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		return 0, "invalid batch response: " + err.Error()
	}
	if len(resp.BatchItemFailures) == 0 {
		return -1, ""
	}
	at := len(batch)
	for _, f := range resp.BatchItemFailures {
		i := indexOf(batch, f.ItemIdentifier)
		if i < 0 {
			return 0, fmt.Sprintf("batch item failure %q is not in the batch", f.ItemIdentifier)
		}
		at = min(at, i)
	}
	return at, fmt.Sprintf("%d batch item failures", len(resp.BatchItemFailures))
}

func indexOf(batch []events.DynamoDBEventRecord, seq string) int {
	if seq == "" {
		return -1
	}
	for i, r := range batch {
		if r.Change.SequenceNumber == seq {
			return i
		}
	}
	return -1
}
