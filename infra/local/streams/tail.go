package streams

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
)

// Tail reads a table's stream on demand: each Read returns the records
// written since the previous Read (every record, the first time), shaped
// as Lambda delivers them, in order within each shard. Tests use it to run
// a stream function synchronously, through the same records and filters
// as the Poller.
type Tail struct {
	r      *reader
	arn    string
	region string
	shards map[string]*shard
	order  []string
}

// NewTail returns a Tail of the table's stream.
func NewTail(ctx context.Context, c Clients, table string) (*Tail, error) {
	r := &reader{c: c, table: table, idle: 250 * time.Millisecond, log: slog.New(slog.DiscardHandler), name: "tail"}
	arn, err := r.streamARN(ctx)
	if err != nil {
		return nil, err
	}
	return &Tail{r: r, arn: arn, region: "us-east-1", shards: map[string]*shard{}}, nil
}

// Read returns the records written since the previous Read.
func (t *Tail) Read(ctx context.Context) ([]events.DynamoDBEventRecord, error) {
	var start *string
	for {
		out, err := t.r.c.Streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(t.arn), ExclusiveStartShardId: start})
		if err != nil {
			return nil, fmt.Errorf("describe stream: %w", err)
		}
		for _, s := range out.StreamDescription.Shards {
			id := aws.ToString(s.ShardId)
			if _, ok := t.shards[id]; !ok {
				t.shards[id] = &shard{id: id, parent: aws.ToString(s.ParentShardId)}
				t.order = append(t.order, id)
			}
		}
		if start = out.StreamDescription.LastEvaluatedShardId; start == nil {
			break
		}
	}
	var got []events.DynamoDBEventRecord
	for _, id := range t.order {
		s := t.shards[id]
		for !s.done {
			if p, ok := t.shards[s.parent]; ok && !p.done {
				break
			}
			recs, err := t.r.page(ctx, t.arn, s)
			if err != nil {
				return nil, err
			}
			for _, rec := range recs {
				got = append(got, toEvent(rec, t.arn, t.region))
			}
			if len(recs) == 0 {
				break
			}
			s.lastSeq = aws.ToString(recs[len(recs)-1].Dynamodb.SequenceNumber)
		}
	}
	return got, nil
}
