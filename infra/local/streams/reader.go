package streams

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"roster/shared/wait"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// Clients are the SDK clients of the DynamoDB (Local) that holds the table.
type Clients struct {
	// DynamoDB finds the table's stream (DescribeTable) and, for the TTL
	// emulator, deletes expired items.
	DynamoDB *dynamodb.Client
	// Streams reads the stream.
	Streams *dynamodbstreams.Client
}

// rediscoverEvery is how often the reader lists the stream's shards again
// to find new ones, besides whenever a shard it read is closed.
const rediscoverEvery = 5 * time.Second

// reader follows every shard of a table's stream, parents before children,
// and hands each non-empty page of records to a handler, in order within a
// shard. It never scans the table: it reads only the stream.
type reader struct {
	c      Clients
	table  string
	latest bool // start shards found at start at LATEST instead of TRIM_HORIZON
	idle   time.Duration
	log    *slog.Logger
	name   string // for log lines
}

type shard struct {
	id, parent string
	iter       *string
	lastSeq    string
	latest     bool
	done       bool
}

// handler processes one page of a shard. It returns only once the page is
// dealt with; an error stops the reader (only the context's).
type handler func(ctx context.Context, streamARN string, recs []types.Record) error

// run reads until ctx is done.
func (r *reader) run(ctx context.Context, handle handler) error {
	arn, err := r.streamARN(ctx)
	if err != nil {
		return err
	}
	shards := map[string]*shard{}
	var order []string
	first := true
	discover := func() error {
		var start *string
		for {
			out, err := r.c.Streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn), ExclusiveStartShardId: start})
			if err != nil {
				return fmt.Errorf("describe stream: %w", err)
			}
			for _, s := range out.StreamDescription.Shards {
				id := aws.ToString(s.ShardId)
				if _, ok := shards[id]; ok {
					continue
				}
				shards[id] = &shard{id: id, parent: aws.ToString(s.ParentShardId), latest: first && r.latest}
				order = append(order, id)
			}
			start = out.StreamDescription.LastEvaluatedShardId
			if start == nil {
				first = false
				return nil
			}
		}
	}
	var lastDiscover time.Time
	needDiscover := true
	failures := 0
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if needDiscover || time.Since(lastDiscover) > rediscoverEvery {
			if err := discover(); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				failures++
				r.log.Warn("stream reader", slog.String("reader", r.name), slog.String("error", err.Error()))
				if err := wait.For(ctx, backoff(r.idle, failures)); err != nil {
					return err
				}
				continue
			}
			lastDiscover, needDiscover = time.Now(), false
		}
		progressed := false
		for _, id := range order {
			s := shards[id]
			if s.done {
				continue
			}
			if p, ok := shards[s.parent]; ok && !p.done {
				continue // a child waits until its parent is read to its end
			}
			recs, err := r.page(ctx, arn, s)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				failures++
				r.log.Warn("stream reader", slog.String("reader", r.name), slog.String("shard", s.id), slog.String("error", err.Error()))
				needDiscover = true
				break
			}
			failures = 0
			if len(recs) > 0 {
				if err := handle(ctx, arn, recs); err != nil {
					return err
				}
				s.lastSeq = aws.ToString(recs[len(recs)-1].Dynamodb.SequenceNumber)
				progressed = true
			}
			if s.done {
				needDiscover, progressed = true, true
			}
		}
		if !progressed {
			if err := wait.For(ctx, backoff(r.idle, failures)); err != nil {
				return err
			}
		}
	}
}

// page reads the next page of s, getting an iterator first when it has
// none (or its iterator expired), and marks s done at its end.
func (r *reader) page(ctx context.Context, arn string, s *shard) ([]types.Record, error) {
	if s.iter == nil {
		in := &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(s.id), ShardIteratorType: types.ShardIteratorTypeTrimHorizon}
		switch {
		case s.lastSeq != "":
			in.ShardIteratorType, in.SequenceNumber = types.ShardIteratorTypeAfterSequenceNumber, aws.String(s.lastSeq)
		case s.latest:
			in.ShardIteratorType = types.ShardIteratorTypeLatest
		}
		out, err := r.c.Streams.GetShardIterator(ctx, in)
		var nf *types.ResourceNotFoundException
		if errors.As(err, &nf) {
			s.done = true // trimmed away
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("get shard iterator: %w", err)
		}
		if out.ShardIterator == nil {
			s.done = true
			return nil, nil
		}
		s.iter = out.ShardIterator
	}
	out, err := r.c.Streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: s.iter, Limit: aws.Int32(1000)})
	var expired *types.ExpiredIteratorException
	var trimmed *types.TrimmedDataAccessException
	switch {
	case errors.As(err, &expired):
		s.iter = nil
		return nil, nil
	case errors.As(err, &trimmed):
		// The records after lastSeq are gone: go on from the oldest left.
		s.iter, s.lastSeq = nil, ""
		r.log.Warn("stream records trimmed before they were read", slog.String("reader", r.name), slog.String("shard", s.id))
		return nil, nil
	case err != nil:
		s.iter = nil
		return nil, fmt.Errorf("get records: %w", err)
	}
	s.iter = out.NextShardIterator
	if s.iter == nil {
		s.done = true
	}
	return out.Records, nil
}

// streamARN waits for the table to exist and returns its latest stream.
func (r *reader) streamARN(ctx context.Context) (string, error) {
	for attempt := 1; ; attempt++ {
		out, err := r.c.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(r.table)})
		if err == nil {
			if arn := aws.ToString(out.Table.LatestStreamArn); arn != "" {
				return arn, nil
			}
			return "", fmt.Errorf("streams: table %s has no stream", r.table)
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		if attempt == 1 {
			r.log.Warn("waiting for the table", slog.String("reader", r.name), slog.String("table", r.table), slog.String("error", err.Error()))
		}
		if err := wait.For(ctx, backoff(r.idle, attempt)); err != nil {
			return "", err
		}
	}
}

// backoff is base doubled per failure, at most 5s.
func backoff(base time.Duration, failures int) time.Duration {
	d := base
	for i := 0; i < failures && d < 5*time.Second; i++ {
		d *= 2
	}
	return min(d, 5*time.Second)
}
