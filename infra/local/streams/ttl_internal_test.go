package streams

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"roster/shared/store"
	"roster/shared/testenv"
)

// TestTTLConditionalDelete gives the emulator a stale expiry (as when it
// pops an item before it has read the MODIFY that moved its expiry): the
// conditional DeleteItem must leave the item, and forget the mark.
func TestTTLConditionalDelete(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	c := Clients{DynamoDB: db, Streams: dynamodbstreams.NewFromConfig(testenv.AWSConfig(testenv.DynamoDBEndpoint(t)))}
	ctx := context.Background()
	now := time.Now()
	num := func(v int64) *ddbtypes.AttributeValueMemberN {
		return &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
	}
	tests := []struct {
		pk       string
		stored   int64 // the item's expiresAt in the table
		learned  int64 // what the emulator believes
		wantGone bool
	}{
		{"MOVED", now.Add(time.Hour).Unix(), now.Add(-time.Minute).Unix(), false},
		{"DUE", now.Add(-time.Minute).Unix(), now.Add(-time.Minute).Unix(), true},
	}
	ttl := NewTTL(TTLConfig{Clients: c, Table: table, Attribute: store.AttrExpiresAt})
	var recs []types.Record
	for _, tc := range tests {
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]ddbtypes.AttributeValue{
			store.AttrPK: &ddbtypes.AttributeValueMemberS{Value: tc.pk}, store.AttrSK: &ddbtypes.AttributeValueMemberS{Value: "X"},
			store.AttrExpiresAt: num(tc.stored)}}); err != nil {
			t.Fatal(err)
		}
		keys := map[string]types.AttributeValue{store.AttrPK: &types.AttributeValueMemberS{Value: tc.pk}, store.AttrSK: &types.AttributeValueMemberS{Value: "X"}}
		recs = append(recs, types.Record{EventName: types.OperationTypeInsert, Dynamodb: &types.StreamRecord{Keys: keys,
			NewImage: map[string]types.AttributeValue{store.AttrExpiresAt: &types.AttributeValueMemberN{Value: strconv.FormatInt(tc.learned, 10)}}}})
	}
	if err := ttl.learn(ctx, "", recs); err != nil {
		t.Fatal(err)
	}
	ttl.expire(ctx)
	for _, tc := range tests {
		out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true), Key: map[string]ddbtypes.AttributeValue{
			store.AttrPK: &ddbtypes.AttributeValueMemberS{Value: tc.pk}, store.AttrSK: &ddbtypes.AttributeValueMemberS{Value: "X"}}})
		if err != nil {
			t.Fatal(err)
		}
		if gone := out.Item == nil; gone != tc.wantGone {
			t.Errorf("%s deleted: got %v, want %v", tc.pk, gone, tc.wantGone)
		}
	}
	if got := len(ttl.marks); got != 1 {
		t.Errorf("marks: got %d, want 1 (only the deleted item)", got)
	}
	if got := ttl.Pending(); got != 0 {
		t.Errorf("pending: got %d, want 0", got)
	}
}
