package streams

import (
	"container/heap"
	"context"
	"errors"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// TTLIdentity is the userIdentity of a stream record of an item that
// DynamoDB's TTL service deleted.
var TTLIdentity = events.DynamoDBUserIdentity{Type: "Service", PrincipalID: "dynamodb.amazonaws.com"}

// markFor is how long the emulator remembers the keys it deleted, for the
// pollers to recognise the REMOVE records in the stream.
const markFor = time.Hour

// maxAge is TTL's horizon: an expiry more than five years in the past is
// not acted on, as in AWS.
const maxAge = 5 * 365 * 24 * time.Hour

// TTLConfig configures a TTL emulator.
type TTLConfig struct {
	Clients
	// Table is the table whose items expire.
	Table string
	// Attribute is the TTL attribute (epoch seconds), e.g. "expiresAt".
	Attribute string
	// Interval is how often due items are deleted; 0 means 1s.
	Interval time.Duration
	// PollInterval is the stream reader's pause when it found nothing; 0 means 250ms.
	PollInterval time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives one line per deletion and the errors; nil discards.
	Logger *slog.Logger
}

// TTL emulates DynamoDB's Time to Live on DynamoDB Local, which keeps
// expired items for ever. It learns from the table's stream (never a Scan)
// when each item expires: every INSERT or MODIFY whose new image carries
// the TTL attribute as a number (epoch seconds) puts the item's key in a
// min-heap by expiry (a MODIFY moves it; a new image without the attribute,
// or a REMOVE, drops it). Once an item is due it is deleted with a
// conditional DeleteItem (attribute <= now), so that an item whose expiry
// was pushed into the future in the meantime survives, as in AWS. The keys
// it deleted are remembered for an hour, so that Identity can give the
// pollers the userIdentity AWS puts on TTL's REMOVE records.
//
// Differences from AWS: AWS deletes expired items in the background, often
// hours and up to days late; the emulator deletes within about Interval of
// the expiry (code must still enforce expiry on read, as Roster does). The
// heap lives in memory: after a restart on persisted data (make dev
// PERSIST=1), the emulator relearns only the items whose writes are still
// in the stream's retained records (24 hours); older items never expire
// locally. A restart also forgets which removals it made, so the records of
// those not yet delivered before the restart reach the pollers without the
// TTL identity.
type TTL struct {
	cfg TTLConfig

	mu    sync.Mutex
	due   expiryHeap
	byKey map[string]*expiry
	marks map[string]mark
}

type expiry struct {
	key   string
	item  map[string]ddbtypes.AttributeValue
	at    int64 // epoch seconds
	index int
}

type mark struct {
	value   string // the TTL attribute's value in the deleted item
	deleted time.Time
}

// NewTTL returns a TTL emulator; Run starts it.
func NewTTL(cfg TTLConfig) *TTL {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 250 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &TTL{cfg: cfg, byKey: map[string]*expiry{}, marks: map[string]mark{}}
}

// Run learns from the stream and deletes due items until ctx is done.
func (t *TTL) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		r := &reader{c: t.cfg.Clients, table: t.cfg.Table, idle: t.cfg.PollInterval, log: t.cfg.Logger, name: "ttl"}
		errc <- r.run(ctx, t.learn)
	}()
	tick := time.NewTicker(t.cfg.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			<-errc
			return ctx.Err()
		case err := <-errc:
			return err
		case <-tick.C:
			t.expire(ctx)
		}
	}
}

// Pending returns how many items the emulator will delete when due.
func (t *TTL) Pending() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.byKey)
}

// learn updates the heap from one page of stream records.
func (t *TTL) learn(_ context.Context, _ string, recs []types.Record) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	horizon := t.cfg.Now().Add(-maxAge).Unix()
	for _, r := range recs {
		if r.Dynamodb == nil {
			continue
		}
		k := keyString(toEventImage(r.Dynamodb.Keys))
		at, ok := int64(0), false
		if r.EventName != types.OperationTypeRemove {
			at, ok = ttlValue(r.Dynamodb.NewImage[t.cfg.Attribute])
		}
		if !ok || at < horizon {
			if e := t.byKey[k]; e != nil {
				heap.Remove(&t.due, e.index)
				delete(t.byKey, k)
			}
			continue
		}
		if e := t.byKey[k]; e != nil {
			e.at = at
			heap.Fix(&t.due, e.index)
			continue
		}
		item, err := toItemKey(r.Dynamodb.Keys)
		if err != nil {
			t.cfg.Logger.Warn("ttl", slog.String("error", err.Error()))
			continue
		}
		e := &expiry{key: k, item: item, at: at}
		heap.Push(&t.due, e)
		t.byKey[k] = e
	}
	return nil
}

// ttlValue reads a TTL attribute: a number of epoch seconds (a fraction is
// dropped); anything else is no expiry, as in AWS.
func ttlValue(v types.AttributeValue) (int64, bool) {
	n, ok := v.(*types.AttributeValueMemberN)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(n.Value, 64)
	if err != nil || f < 0 || f > math.MaxInt64/2 {
		return 0, false
	}
	return int64(f), true
}

// expire deletes every item due at now.
func (t *TTL) expire(ctx context.Context) {
	now := t.cfg.Now()
	var due []*expiry
	t.mu.Lock()
	for t.due.Len() > 0 && t.due[0].at <= now.Unix() {
		e := heap.Pop(&t.due).(*expiry)
		delete(t.byKey, e.key)
		due = append(due, e)
	}
	for k, m := range t.marks {
		if now.Sub(m.deleted) > markFor {
			delete(t.marks, k)
		}
	}
	t.mu.Unlock()

	for _, e := range due {
		value := strconv.FormatInt(e.at, 10)
		// Marked before the delete, so that no poller can read the REMOVE
		// record before the mark exists.
		t.mu.Lock()
		t.marks[e.key] = mark{value: value, deleted: now}
		t.mu.Unlock()
		_, err := t.cfg.DynamoDB.DeleteItem(ctx, &dynamodb.DeleteItemInput{
			TableName:                 aws.String(t.cfg.Table),
			Key:                       e.item,
			ConditionExpression:       aws.String("#ttl <= :now"),
			ExpressionAttributeNames:  map[string]string{"#ttl": t.cfg.Attribute},
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":now": &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(now.Unix(), 10)}},
		})
		if err == nil {
			t.cfg.Logger.Info("ttl deleted", slog.String("key", e.key), slog.Int64("expiresAt", e.at),
				slog.Float64("late_s", now.Sub(time.Unix(e.at, 0)).Seconds()))
			continue
		}
		t.mu.Lock()
		delete(t.marks, e.key)
		var ccf *ddbtypes.ConditionalCheckFailedException
		if !errors.As(err, &ccf) && ctx.Err() == nil {
			// Try again at the next tick, unless the stream said otherwise meanwhile.
			if _, ok := t.byKey[e.key]; !ok {
				heap.Push(&t.due, e)
				t.byKey[e.key] = e
			}
			t.cfg.Logger.Warn("ttl delete", slog.String("key", e.key), slog.String("error", err.Error()))
		}
		t.mu.Unlock()
	}
}

// Identity returns TTLIdentity for the REMOVE record of an item the
// emulator deleted (same key, same TTL value), and nil for every other
// record. It is the Poller's IdentityFunc.
func (t *TTL) Identity(r events.DynamoDBEventRecord) *events.DynamoDBUserIdentity {
	if r.EventName != "REMOVE" {
		return nil
	}
	old, ok := r.Change.OldImage[t.cfg.Attribute]
	if !ok || old.DataType() != events.DataTypeNumber {
		return nil
	}
	at, err := strconv.ParseFloat(old.Number(), 64)
	if err != nil {
		return nil
	}
	t.mu.Lock()
	m, ok := t.marks[keyString(r.Change.Keys)]
	t.mu.Unlock()
	if !ok || m.value != strconv.FormatInt(int64(at), 10) {
		return nil
	}
	id := TTLIdentity
	return &id
}

// expiryHeap orders expiries, earliest first.
type expiryHeap []*expiry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].at < h[j].at }
func (h expiryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *expiryHeap) Push(x any) {
	e := x.(*expiry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.index = -1
	return e
}
