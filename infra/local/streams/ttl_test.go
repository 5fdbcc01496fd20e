package streams_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/infra/local/streams"
	"roster/shared/store"
)

func TestTTLEmulator(t *testing.T) {
	t.Parallel()
	c, table := clients(t)
	ctx := context.Background()
	now := time.Now().Unix()
	put(t, c, table, "PAST", map[string]types.AttributeValue{store.AttrExpiresAt: n(now - 10)})
	put(t, c, table, "SOON", map[string]types.AttributeValue{store.AttrExpiresAt: n(now + 2)})
	put(t, c, table, "PUSHED", map[string]types.AttributeValue{store.AttrExpiresAt: n(now + 1)})
	put(t, c, table, "FOREVER", nil)
	put(t, c, table, "NOTANUMBER", map[string]types.AttributeValue{store.AttrExpiresAt: s("1")})
	put(t, c, table, "ANCIENT", map[string]types.AttributeValue{store.AttrExpiresAt: n(now - 6*365*24*3600)})
	if _, err := c.DynamoDB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: key("PUSHED"),
		UpdateExpression:          aws.String("SET #e = :e"),
		ExpressionAttributeNames:  map[string]string{"#e": store.AttrExpiresAt},
		ExpressionAttributeValues: map[string]types.AttributeValue{":e": n(now + 3600)}}); err != nil {
		t.Fatal(err)
	}

	ttl := streams.NewTTL(streams.TTLConfig{Clients: c, Table: table, Attribute: store.AttrExpiresAt,
		Interval: 100 * time.Millisecond, PollInterval: 50 * time.Millisecond, Logger: quiet()})
	rec := &recorder{}
	p := streams.NewPoller(streams.PollerConfig{Clients: c, Table: table, Invoke: rec.invoke, Identity: ttl.Identity, Logger: quiet(),
		PollInterval: 50 * time.Millisecond, Source: streams.Source{Function: "Fn", BatchSize: 100}})
	start(t, ttl.Run)
	start(t, p.Run)

	waitFor(t, "PAST and SOON deleted", func() bool { return !exists(t, c, table, "PAST") && !exists(t, c, table, "SOON") })
	time.Sleep(1500 * time.Millisecond) // past PUSHED's first expiry
	for _, pk := range []string{"PUSHED", "FOREVER", "NOTANUMBER", "ANCIENT"} {
		if !exists(t, c, table, pk) {
			t.Errorf("%s: got deleted, want kept", pk)
		}
	}
	if got := ttl.Pending(); got != 1 {
		t.Errorf("pending expiries: got %d, want 1 (PUSHED)", got)
	}
	del(t, c, table, "FOREVER") // an ordinary deletion
	waitFor(t, "three REMOVE records", func() bool { return len(removals(rec.records())) >= 3 })

	got := removals(rec.records())
	tests := []struct {
		pk      string
		wantTTL bool
	}{
		{"PAST", true},
		{"SOON", true},
		{"FOREVER", false},
	}
	if len(got) != len(tests) {
		t.Fatalf("REMOVE records: got %d, want %d", len(got), len(tests))
	}
	for i, tc := range tests {
		r := got[i]
		pk := str(r.Change.Keys, store.AttrPK)
		isTTL := r.UserIdentity != nil && *r.UserIdentity == streams.TTLIdentity
		if pk != tc.pk || isTTL != tc.wantTTL {
			t.Errorf("REMOVE %d: got %s with userIdentity %+v, want %s with TTL identity %v", i, pk, r.UserIdentity, tc.pk, tc.wantTTL)
		}
		if r.Change.OldImage == nil || r.Change.NewImage != nil {
			t.Errorf("REMOVE %d images: got old %v new %v, want only the old", i, r.Change.OldImage, r.Change.NewImage)
		}
	}
}

func removals(recs []events.DynamoDBEventRecord) []events.DynamoDBEventRecord {
	var out []events.DynamoDBEventRecord
	for _, r := range recs {
		if r.EventName == "REMOVE" {
			out = append(out, r)
		}
	}
	return out
}
