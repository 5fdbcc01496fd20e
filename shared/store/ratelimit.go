package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Limit is a fixed-window rate limit: at most Max hits per Window.
type Limit struct {
	Max    int
	Window time.Duration
}

func (l Limit) bucket(name string, now time.Time) (string, time.Time) {
	start := now.Truncate(l.Window)
	return name + "#" + strconv.FormatInt(start.Unix(), 10), start.Add(l.Window)
}

// Hit counts one hit against the named limit and returns zero, or, when the
// limit is already reached, how long until the window ends (no hit is
// counted then). The counter lives in the table with a TTL, so that the
// limit holds across Lambda instances.
func (s *Store) Hit(ctx context.Context, name string, l Limit) (time.Duration, error) {
	now := s.now()
	bucket, end := l.bucket(name, now)
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       rateKey(bucket),
		UpdateExpression:          aws.String("ADD hits :one SET #exp = :exp, #type = :type"),
		ConditionExpression:       aws.String("attribute_not_exists(hits) OR hits < :max"),
		ExpressionAttributeNames:  map[string]string{"#exp": AttrExpiresAt, "#type": AttrType},
		ExpressionAttributeValues: item{":one": num(1), ":max": num(int64(l.Max)), ":exp": num(end.Add(time.Minute).Unix()), ":type": str(typeRate)},
	})
	if isConditionFailed(err) {
		return retryAfter(end, now), nil
	}
	if err != nil {
		return 0, fmt.Errorf("rate limit %s: %w", name, err)
	}
	return 0, nil
}

// Exceeded reports, without counting, how long until each named limit has
// room again: zero when none is reached. One BatchGetItem reads all.
func (s *Store) Exceeded(ctx context.Context, limits map[string]Limit) (time.Duration, error) {
	c, err := s.ReadCounters(ctx, limits, nil, nil)
	if err != nil {
		return 0, err
	}
	var wait time.Duration
	for _, d := range c.Wait {
		wait = max(wait, d)
	}
	return wait, nil
}

func retryAfter(end, now time.Time) time.Duration {
	d := end.Sub(now)
	if d < time.Second {
		d = time.Second
	}
	return d
}

// Backoff is a run of failures under one name (for example an email from
// one source address): how many since the last success, and when the last
// one was. It ends with Clear, or by itself after its time to live.
type Backoff struct {
	Fails int
	Last  time.Time
}

// Counters is what ReadCounters found: how long until each fixed-window
// limit has room (absent when it has), each backoff (zero when none), and
// which markers are set.
type Counters struct {
	Wait    map[string]time.Duration
	Backoff map[string]Backoff
	Marked  map[string]bool
}

func backoffKey(name string) item { return key("RATE#"+name, "BACKOFF") }
func markKey(name string) item    { return key("RATE#"+name, "MARK") }

// ReadCounters reads the named fixed-window limits, backoffs and markers in
// one BatchGetItem, honouring expiresAt. It fails closed: a read error is
// returned, never taken for "no limit".
func (s *Store) ReadCounters(ctx context.Context, limits map[string]Limit, backoffs, marks []string) (Counters, error) {
	now := s.now()
	var keys []item
	limitOf := map[string]string{}
	ends := map[string]time.Time{}
	maxes := map[string]int{}
	for name, l := range limits {
		bucket, end := l.bucket(name, now)
		keys = append(keys, rateKey(bucket))
		pk := "RATE#" + bucket
		limitOf[pk], ends[pk], maxes[pk] = name, end, l.Max
	}
	for _, n := range backoffs {
		keys = append(keys, backoffKey(n))
	}
	for _, n := range marks {
		keys = append(keys, markKey(n))
	}
	items, err := s.batchGet(ctx, keys, read{})
	if err != nil {
		return Counters{}, fmt.Errorf("read rate counters: %w", err)
	}
	c := Counters{Wait: map[string]time.Duration{}, Backoff: map[string]Backoff{}, Marked: map[string]bool{}}
	for _, m := range items {
		if expired(m, now) {
			continue
		}
		pk := m[AttrPK].(*types.AttributeValueMemberS).Value
		name := strings.TrimPrefix(pk, "RATE#")
		switch m[AttrSK].(*types.AttributeValueMemberS).Value {
		case "RATE":
			hits, _ := m["hits"].(*types.AttributeValueMemberN)
			if hits == nil {
				continue
			}
			if n, _ := strconv.Atoi(hits.Value); n >= maxes[pk] {
				c.Wait[limitOf[pk]] = retryAfter(ends[pk], now)
			}
		case "BACKOFF":
			var b struct {
				Fails int   `dynamodbav:"fails"`
				Last  int64 `dynamodbav:"last"`
			}
			if err := attributevalue.UnmarshalMap(m, &b); err != nil {
				return Counters{}, fmt.Errorf("decode backoff: %w", err)
			}
			c.Backoff[name] = Backoff{Fails: b.Fails, Last: time.Unix(b.Last, 0)}
		case "MARK":
			c.Marked[name] = true
		}
	}
	return c, nil
}

// Fail counts one failure in the named backoff, which lives for ttl after
// its last failure.
func (s *Store) Fail(ctx context.Context, name string, ttl time.Duration) error {
	now := s.now()
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       backoffKey(name),
		UpdateExpression:          aws.String("ADD fails :one SET #last = :now, #exp = :exp, #type = :type"),
		ExpressionAttributeNames:  map[string]string{"#last": "last", "#exp": AttrExpiresAt, "#type": AttrType},
		ExpressionAttributeValues: item{":one": num(1), ":now": num(now.Unix()), ":exp": num(now.Add(ttl).Unix()), ":type": str(typeRate)},
	})
	if err != nil {
		return fmt.Errorf("backoff %s: %w", name, err)
	}
	return nil
}

// Succeed ends the named backoff and sets the named marker for ttl, in one
// transaction (a sign-in that worked: its failures are forgiven, its
// source is known).
func (s *Store) Succeed(ctx context.Context, backoff, mark string, ttl time.Duration) error {
	now := s.now()
	return s.tx().
		delete(backoffKey(backoff), cond{}).
		put(item{AttrPK: str("RATE#" + mark), AttrSK: str("MARK"), AttrType: str(typeRate), AttrExpiresAt: num(now.Add(ttl).Unix())}, cond{}).
		commit(ctx)
}
