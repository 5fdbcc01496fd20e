package streams_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"roster/infra/local/streams"
	"roster/shared/store"
	"roster/shared/testenv"
)

// clients returns the SDK clients of the test DynamoDB Local and a fresh
// table with the product's shape (stream on).
func clients(t *testing.T) (streams.Clients, string) {
	t.Helper()
	db, table := testenv.NewTable(t)
	st := dynamodbstreams.NewFromConfig(testenv.AWSConfig(testenv.DynamoDBEndpoint(t)))
	return streams.Clients{DynamoDB: db, Streams: st}, table
}

// start runs fn in the background until the test ends.
func start(t *testing.T, fn func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("Run: got %v, want %v", err, context.Canceled)
		}
	})
}

// recorder is an InvokeFunc that keeps every batch and answers with what
// its respond function says.
type recorder struct {
	mu      sync.Mutex
	batches [][]events.DynamoDBEventRecord
	respond func(n int, batch []events.DynamoDBEventRecord) ([]byte, error)
}

func (r *recorder) invoke(_ context.Context, function string, payload []byte) ([]byte, error) {
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.batches = append(r.batches, ev.Records)
	n := len(r.batches)
	r.mu.Unlock()
	if r.respond != nil {
		return r.respond(n, ev.Records)
	}
	return []byte(`{"batchItemFailures":[]}`), nil
}

// records returns every record delivered so far, in order.
func (r *recorder) records() []events.DynamoDBEventRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []events.DynamoDBEventRecord
	for _, b := range r.batches {
		out = append(out, b...)
	}
	return out
}

func (r *recorder) snapshot() [][]events.DynamoDBEventRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]events.DynamoDBEventRecord(nil), r.batches...)
}

// TestPollerDeadLetters: a batch whose retries are spent, under a source
// with an on-failure destination, lands in that destination's file as the
// record Lambda sends it (the batch's place in the stream), once.
func TestPollerDeadLetters(t *testing.T) {
	t.Parallel()
	c, table := clients(t)
	for _, pk := range []string{"R1", "R2"} {
		put(t, c, table, pk, nil)
	}
	dir := t.TempDir()
	rec := &recorder{respond: func(n int, batch []events.DynamoDBEventRecord) ([]byte, error) {
		return []byte(`{"batchItemFailures":[{"itemIdentifier":"` + batch[0].Change.SequenceNumber + `"}]}`), nil
	}}
	p := streams.NewPoller(streams.PollerConfig{Clients: c, Table: table, Invoke: rec.invoke, Logger: quiet(),
		PollInterval: 50 * time.Millisecond, RetryDelay: 10 * time.Millisecond, DeadLetterDir: dir,
		Source: streams.Source{Function: "Fn", BatchSize: 10, MaxRetries: 1, ReportBatchItemFailures: true, OnFailure: "FnDeadLetters"}})
	start(t, p.Run)
	file := filepath.Join(dir, "FnDeadLetters.jsonl")
	waitFor(t, "the dead letter", func() bool { _, err := os.Stat(file); return err == nil })
	time.Sleep(300 * time.Millisecond) // nothing more
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 1 {
		t.Fatalf("dead letters: got %d lines, want 1", len(lines))
	}
	var got struct {
		RequestContext struct {
			Condition              string `json:"condition"`
			ApproximateInvokeCount int    `json:"approximateInvokeCount"`
		} `json:"requestContext"`
		Info struct {
			Start     string `json:"startSequenceNumber"`
			End       string `json:"endSequenceNumber"`
			BatchSize int    `json:"batchSize"`
		} `json:"DDBStreamBatchInfo"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	batches := rec.snapshot()
	first := batches[0][0].Change.SequenceNumber
	if got.RequestContext.Condition != "RetryAttemptsExhausted" || got.RequestContext.ApproximateInvokeCount != 2 ||
		got.Info.Start != first || got.Info.BatchSize != 2 || got.Info.End == "" {
		t.Errorf("dead letter: got %+v, want the 2-record batch from %s after 2 invocations", got, first)
	}
}

// waitFor polls cond for up to 20s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func key(pk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		store.AttrPK: &types.AttributeValueMemberS{Value: pk}, store.AttrSK: &types.AttributeValueMemberS{Value: "X"}}
}

func put(t *testing.T, c streams.Clients, table, pk string, attrs map[string]types.AttributeValue) {
	t.Helper()
	item := key(pk)
	for k, v := range attrs {
		item[k] = v
	}
	if _, err := c.DynamoDB.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		t.Fatalf("PutItem %s: %v", pk, err)
	}
}

func del(t *testing.T, c streams.Clients, table, pk string) {
	t.Helper()
	if _, err := c.DynamoDB.DeleteItem(context.Background(), &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: key(pk)}); err != nil {
		t.Fatalf("DeleteItem %s: %v", pk, err)
	}
}

func exists(t *testing.T, c streams.Clients, table, pk string) bool {
	t.Helper()
	out, err := c.DynamoDB.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(table), Key: key(pk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("GetItem %s: %v", pk, err)
	}
	return out.Item != nil
}

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}
func quiet() *slog.Logger { return slog.New(slog.NewJSONHandler(io.Discard, nil)) }
func str(img map[string]events.DynamoDBAttributeValue, k string) string {
	if v, ok := img[k]; ok && v.DataType() == events.DataTypeString {
		return v.String()
	}
	return ""
}

func TestPollerDeliversInOrderWithImages(t *testing.T) {
	t.Parallel()
	c, table := clients(t)
	ctx := context.Background()
	// Written before the poller starts: TRIM_HORIZON still delivers it.
	put(t, c, table, "A", map[string]types.AttributeValue{"v": s("1")})
	rec := &recorder{}
	p := streams.NewPoller(streams.PollerConfig{Clients: c, Table: table, Region: "eu-west-1", Invoke: rec.invoke, Logger: quiet(), PollInterval: 50 * time.Millisecond,
		Source: streams.Source{Function: "Fn", BatchSize: 100, ReportBatchItemFailures: true, MaxRetries: 2}})
	start(t, p.Run)
	if _, err := c.DynamoDB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: key("A"),
		UpdateExpression: aws.String("SET v = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": s("2")}}); err != nil {
		t.Fatal(err)
	}
	del(t, c, table, "A")
	waitFor(t, "three records", func() bool { return len(rec.records()) >= 3 })

	got := rec.records()
	tests := []struct {
		name, oldV, newV string
	}{
		{"INSERT", "", "1"},
		{"MODIFY", "1", "2"},
		{"REMOVE", "2", ""},
	}
	if len(got) != len(tests) {
		t.Fatalf("records: got %d, want %d", len(got), len(tests))
	}
	prev := new(big.Int)
	for i, tc := range tests {
		r := got[i]
		if r.EventName != tc.name || str(r.Change.OldImage, "v") != tc.oldV || str(r.Change.NewImage, "v") != tc.newV {
			t.Errorf("record %d: got %s old %q new %q, want %s old %q new %q", i, r.EventName,
				str(r.Change.OldImage, "v"), str(r.Change.NewImage, "v"), tc.name, tc.oldV, tc.newV)
		}
		if str(r.Change.Keys, store.AttrPK) != "A" || str(r.Change.Keys, store.AttrSK) != "X" || len(r.Change.Keys) != 2 {
			t.Errorf("record %d keys: got %v, want PK A and SK X", i, r.Change.Keys)
		}
		if r.EventSource != "aws:dynamodb" || r.EventVersion != "1.1" || r.AWSRegion != "eu-west-1" || r.EventID == "" ||
			r.Change.StreamViewType != "NEW_AND_OLD_IMAGES" || r.Change.SizeBytes <= 0 || r.UserIdentity != nil {
			t.Errorf("record %d: got %+v, want Lambda's fields", i, r)
		}
		if want := "table/" + table + "/stream/"; !strings.Contains(r.EventSourceArn, want) {
			t.Errorf("record %d eventSourceARN: got %q, want it to contain %q", i, r.EventSourceArn, want)
		}
		if r.Change.ApproximateCreationDateTime.IsZero() {
			t.Errorf("record %d: got no ApproximateCreationDateTime, want one", i)
		}
		seq, ok := new(big.Int).SetString(r.Change.SequenceNumber, 10)
		if !ok || seq.Cmp(prev) <= 0 {
			t.Errorf("record %d sequence number: got %q, want one above %v", i, r.Change.SequenceNumber, prev)
		} else {
			prev = seq
		}
	}
}

func TestPollerFilters(t *testing.T) {
	t.Parallel()
	c, table := clients(t)
	f, err := streams.ParseFilter(`{"eventName":["INSERT"],"dynamodb":{"NewImage":{"type":{"S":["keep"]}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	p := streams.NewPoller(streams.PollerConfig{Clients: c, Table: table, Invoke: rec.invoke, Logger: quiet(), PollInterval: 50 * time.Millisecond,
		Source: streams.Source{Function: "Fn", BatchSize: 100, Filters: streams.Filters{f}}})
	put(t, c, table, "K1", map[string]types.AttributeValue{"type": s("keep")})
	put(t, c, table, "D1", map[string]types.AttributeValue{"type": s("drop")})
	put(t, c, table, "K1", map[string]types.AttributeValue{"type": s("keep"), "v": s("2")}) // MODIFY
	del(t, c, table, "K1")
	put(t, c, table, "K2", map[string]types.AttributeValue{"type": s("keep")})
	put(t, c, table, "END", map[string]types.AttributeValue{"type": s("keep")})
	start(t, p.Run)
	waitFor(t, "the last record", func() bool {
		r := rec.records()
		return len(r) > 0 && str(r[len(r)-1].Change.Keys, store.AttrPK) == "END"
	})
	var got []string
	for _, r := range rec.records() {
		got = append(got, r.EventName+" "+str(r.Change.Keys, store.AttrPK))
	}
	want := []string{"INSERT K1", "INSERT K2", "INSERT END"}
	if !equal(got, want) {
		t.Errorf("delivered: got %v, want %v", got, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func pks(batch []events.DynamoDBEventRecord) []string {
	var out []string
	for _, r := range batch {
		out = append(out, str(r.Change.Keys, store.AttrPK))
	}
	return out
}

func TestPollerRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		report  bool
		respond func(n int, batch []events.DynamoDBEventRecord) ([]byte, error)
		want    [][]string // the batches, by PK
	}{
		{
			name:   "batch item failure retries from that record",
			report: true,
			respond: func(n int, batch []events.DynamoDBEventRecord) ([]byte, error) {
				if n == 1 {
					return []byte(`{"batchItemFailures":[{"itemIdentifier":"` + batch[1].Change.SequenceNumber + `"}]}`), nil
				}
				return []byte(`{}`), nil
			},
			want: [][]string{{"R1", "R2", "R3"}, {"R2", "R3"}},
		},
		{
			name:   "unknown identifier retries the whole batch",
			report: true,
			respond: func(n int, batch []events.DynamoDBEventRecord) ([]byte, error) {
				if n == 1 {
					return []byte(`{"batchItemFailures":[{"itemIdentifier":"1"}]}`), nil
				}
				return nil, nil
			},
			want: [][]string{{"R1", "R2", "R3"}, {"R1", "R2", "R3"}},
		},
		{
			name:   "failures ignored without ReportBatchItemFailures",
			report: false,
			respond: func(n int, batch []events.DynamoDBEventRecord) ([]byte, error) {
				return []byte(`{"batchItemFailures":[{"itemIdentifier":"` + batch[0].Change.SequenceNumber + `"}]}`), nil
			},
			want: [][]string{{"R1", "R2", "R3"}},
		},
		{
			name:   "function error retries the whole batch, bounded",
			report: true,
			respond: func(n int, batch []events.DynamoDBEventRecord) ([]byte, error) {
				return nil, errors.New("function crashed")
			},
			want: [][]string{{"R1", "R2", "R3"}, {"R1", "R2", "R3"}, {"R1", "R2", "R3"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, table := clients(t)
			for _, pk := range []string{"R1", "R2", "R3"} {
				put(t, c, table, pk, nil)
			}
			rec := &recorder{respond: tc.respond}
			p := streams.NewPoller(streams.PollerConfig{Clients: c, Table: table, Invoke: rec.invoke, Logger: quiet(),
				PollInterval: 50 * time.Millisecond, RetryDelay: 10 * time.Millisecond,
				Source: streams.Source{Function: "Fn", BatchSize: 10, MaxRetries: 2, ReportBatchItemFailures: tc.report}})
			start(t, p.Run)
			waitFor(t, "the expected batches", func() bool { return len(rec.snapshot()) >= len(tc.want) })
			time.Sleep(300 * time.Millisecond) // no further deliveries
			var got [][]string
			for _, b := range rec.snapshot() {
				got = append(got, pks(b))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("batches: got %v, want %v", got, tc.want)
			}
			for i := range got {
				if !equal(got[i], tc.want[i]) {
					t.Errorf("batch %d: got %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestPollerBatchSize(t *testing.T) {
	t.Parallel()
	c, table := clients(t)
	for _, pk := range []string{"B1", "B2", "B3", "B4", "B5"} {
		put(t, c, table, pk, nil)
	}
	rec := &recorder{}
	p := streams.NewPoller(streams.PollerConfig{Clients: c, Table: table, Invoke: rec.invoke, Logger: quiet(), PollInterval: 50 * time.Millisecond,
		Source: streams.Source{Function: "Fn", BatchSize: 2}})
	start(t, p.Run)
	waitFor(t, "five records", func() bool { return len(rec.records()) >= 5 })
	var got [][]string
	for _, b := range rec.snapshot() {
		got = append(got, pks(b))
	}
	want := [][]string{{"B1", "B2"}, {"B3", "B4"}, {"B5"}}
	if len(got) != len(want) {
		t.Fatalf("batches: got %v, want %v", got, want)
	}
	for i := range got {
		if !equal(got[i], want[i]) {
			t.Errorf("batch %d: got %v, want %v", i, got[i], want[i])
		}
	}
}
