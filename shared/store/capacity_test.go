package store_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/telemetry"
	"roster/shared/testenv"
)

// TestCapacityIsWhatAWSCharges checks the figures the capacity middleware
// reports against DynamoDB Local with AWS's published rules: a write costs
// 1 WCU per KB (2 in a transaction), a read 0.5 RCU per 4 KB eventually
// consistent or 1 strongly consistent (2 in a transaction), and a read of
// an item that does not exist still costs the minimum.
func TestCapacityIsWhatAWSCharges(t *testing.T) {
	t.Parallel()
	db, table := testenv.NewTable(t)
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	small := func(pk string) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{"PK": s(pk), "SK": s("x"), "v": s("small")}
	}
	k := func(pk string) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{"PK": s(pk), "SK": s("x")}
	}
	tbl := aws.String(table)
	tests := []struct {
		name     string
		call     func(context.Context) error
		rcu, wcu float64
	}{
		{"PutItem", func(ctx context.Context) error {
			_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: small("a")})
			return err
		}, 0, 1},
		{"TransactWriteItems of two", func(ctx context.Context) error {
			_, err := db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
				{Put: &types.Put{TableName: tbl, Item: small("b")}},
				{Put: &types.Put{TableName: tbl, Item: small("c")}},
			}})
			return err
		}, 0, 4},
		{"GetItem found, eventual", func(ctx context.Context) error {
			_, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: tbl, Key: k("a")})
			return err
		}, 0.5, 0},
		{"GetItem missing, consistent", func(ctx context.Context) error {
			_, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: tbl, Key: k("nope"), ConsistentRead: aws.Bool(true)})
			return err
		}, 1, 0},
		{"BatchGetItem one found one missing, consistent", func(ctx context.Context) error {
			_, err := db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
				table: {Keys: []map[string]types.AttributeValue{k("a"), k("nope")}, ConsistentRead: aws.Bool(true)},
			}})
			return err
		}, 2, 0},
		{"TransactGetItems of one", func(ctx context.Context) error {
			_, err := db.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
				{Get: &types.Get{TableName: tbl, Key: k("a")}},
			}})
			return err
		}, 2, 0},
	}
	for _, tt := range tests { // in order: later reads find the earlier writes
		rctx, rec := telemetry.WithRecorder(ctx)
		if err := tt.call(rctx); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		sum := rec.Summary()
		if sum.RCU != tt.rcu || sum.WCU != tt.wcu {
			t.Errorf("%s: got %g RCU %g WCU, want %g RCU %g WCU", tt.name, sum.RCU, sum.WCU, tt.rcu, tt.wcu)
		}
	}
}
