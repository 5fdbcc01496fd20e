package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
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
	now := s.now()
	keys := make([]item, 0, len(limits))
	ends := map[string]time.Time{}
	maxes := map[string]int{}
	for name, l := range limits {
		bucket, end := l.bucket(name, now)
		keys = append(keys, rateKey(bucket))
		ends["RATE#"+bucket], maxes["RATE#"+bucket] = end, l.Max
	}
	items, err := s.batchGet(ctx, keys, read{projection: "PK, hits"})
	if err != nil {
		// Fail closed: an unread limit is not an unreached one.
		return 0, fmt.Errorf("read rate limits: %w", err)
	}
	var wait time.Duration
	for _, m := range items {
		pk := m[AttrPK].(*types.AttributeValueMemberS).Value
		hits, _ := m["hits"].(*types.AttributeValueMemberN)
		if hits == nil {
			continue
		}
		n, _ := strconv.Atoi(hits.Value)
		if n >= maxes[pk] {
			if d := retryAfter(ends[pk], now); d > wait {
				wait = d
			}
		}
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
