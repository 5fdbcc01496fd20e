package store

import (
	"context"
	"errors"
	"fmt"
	"roster/shared/wait"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ErrUnprocessed reports keys that DynamoDB still left unprocessed after
// every retry (throttling). Callers fail closed on it: an unread session is
// not "signed out", an unread rate limit is not "under the limit".
var ErrUnprocessed = errors.New("store: keys left unprocessed after retries")

// batchGetMaxKeys is BatchGetItem's limit of keys per call.
const batchGetMaxKeys = 100

// batchRetries and batchBackoff bound the retries of unprocessed keys: 10,
// 20, 40, 80, 160 ms, about 0.3 s in all.
const (
	batchRetries = 5
	batchBackoff = 10 * time.Millisecond
)

// read describes a BatchGetItem: strongly consistent or not, and an
// optional projection with its attribute names.
type read struct {
	consistent bool
	projection string
	names      map[string]string
}

// batchGet reads the items of keys (a key given twice is read once), 100
// keys a call, retrying unprocessed keys with a growing backoff that ends
// early when ctx does. Items not found are absent from the result, in no
// particular order. It returns ErrUnprocessed when keys stay unprocessed,
// or ctx's error.
func (s *Store) batchGet(ctx context.Context, keys []item, r read) ([]item, error) {
	keys = uniqueKeys(keys)
	var got []item
	for start := 0; start < len(keys); start += batchGetMaxKeys {
		ka := types.KeysAndAttributes{Keys: keys[start:min(start+batchGetMaxKeys, len(keys))], ConsistentRead: aws.Bool(r.consistent)}
		if r.projection != "" {
			ka.ProjectionExpression = aws.String(r.projection)
			ka.ExpressionAttributeNames = r.names
		}
		req := map[string]types.KeysAndAttributes{s.table: ka}
		for attempt := 0; ; attempt++ {
			out, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, fmt.Errorf("batch get: %w", err)
			}
			got = append(got, out.Responses[s.table]...)
			req = out.UnprocessedKeys
			if len(req) == 0 {
				break
			}
			if attempt == batchRetries {
				return nil, ErrUnprocessed
			}
			if err := wait.For(ctx, batchBackoff<<attempt); err != nil {
				return nil, err
			}
		}
	}
	return got, nil
}

// uniqueKeys drops repeated keys: BatchGetItem refuses a request that
// names one twice.
func uniqueKeys(keys []item) []item {
	seen := make(map[string]bool, len(keys))
	out := keys[:0:0]
	for _, k := range keys {
		pk, _ := k[AttrPK].(*types.AttributeValueMemberS)
		sk, _ := k[AttrSK].(*types.AttributeValueMemberS)
		if pk == nil || sk == nil {
			out = append(out, k)
			continue
		}
		id := pk.Value + "|" + sk.Value
		if !seen[id] {
			seen[id] = true
			out = append(out, k)
		}
	}
	return out
}
