// Package store is Roster's single-table DynamoDB store. The table's shape is
// defined once here and used by the CDK stack, the local bootstrap and tests.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Attribute names of the table's keys, indexes and TTL.
const (
	AttrPK        = "PK"
	AttrSK        = "SK"
	AttrGSI1PK    = "GSI1PK"
	AttrGSI1SK    = "GSI1SK"
	AttrGSI2PK    = "GSI2PK"
	AttrGSI2SK    = "GSI2SK"
	AttrExpiresAt = "expiresAt" // epoch seconds; TTL attribute
	AttrType      = "type"
	IndexGSI1     = "GSI1"
	IndexGSI2     = "GSI2"
)

// Index describes one global secondary index (projection: all attributes).
type Index struct {
	Name, PartitionKey, SortKey string
}

// TableDefinition is the table's whole shape: keys, indexes, TTL and stream.
type TableDefinition struct {
	PartitionKey, SortKey string
	Indexes               []Index
	TTLAttribute          string
	// StreamNewAndOldImages is true: the stream function sees TTL deletions.
	StreamNewAndOldImages bool
}

// Table is Roster's table. Its indexes serve these access patterns:
//   - GSI1: accounts of a user, sessions of a user, one member's history,
//     invitations by email across accounts.
//   - GSI2: members of an account by status in name order, pending
//     invitations of an account by expiry.
var Table = TableDefinition{
	PartitionKey: AttrPK,
	SortKey:      AttrSK,
	Indexes: []Index{
		{Name: IndexGSI1, PartitionKey: AttrGSI1PK, SortKey: AttrGSI1SK},
		{Name: IndexGSI2, PartitionKey: AttrGSI2PK, SortKey: AttrGSI2SK},
	},
	TTLAttribute:          AttrExpiresAt,
	StreamNewAndOldImages: true,
}

// CreateTableInput returns the CreateTable request for the definition, with
// on-demand billing and the stream enabled.
func (d TableDefinition) CreateTableInput(name string) *dynamodb.CreateTableInput {
	attrs := []types.AttributeDefinition{
		{AttributeName: aws.String(d.PartitionKey), AttributeType: types.ScalarAttributeTypeS},
		{AttributeName: aws.String(d.SortKey), AttributeType: types.ScalarAttributeTypeS},
	}
	var gsis []types.GlobalSecondaryIndex
	for _, ix := range d.Indexes {
		attrs = append(attrs,
			types.AttributeDefinition{AttributeName: aws.String(ix.PartitionKey), AttributeType: types.ScalarAttributeTypeS},
			types.AttributeDefinition{AttributeName: aws.String(ix.SortKey), AttributeType: types.ScalarAttributeTypeS})
		gsis = append(gsis, types.GlobalSecondaryIndex{
			IndexName: aws.String(ix.Name),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String(ix.PartitionKey), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String(ix.SortKey), KeyType: types.KeyTypeRange},
			},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		})
	}
	in := &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: attrs,
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(d.PartitionKey), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(d.SortKey), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: gsis,
		BillingMode:            types.BillingModePayPerRequest,
	}
	if d.StreamNewAndOldImages {
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages}
	}
	return in
}

// EnsureTable creates the table if it does not exist, waits until it is
// active and turns on TTL. It is for local runs and tests; in AWS the CDK
// stack owns the table.
func EnsureTable(ctx context.Context, db *dynamodb.Client, name string, d TableDefinition) error {
	_, err := db.CreateTable(ctx, d.CreateTableInput(name))
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return fmt.Errorf("create table %s: %w", name, err)
	}
	w := dynamodb.NewTableExistsWaiter(db, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 50 * time.Millisecond
		o.MaxDelay = time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 30*time.Second); err != nil {
		return fmt.Errorf("wait for table %s: %w", name, err)
	}
	if d.TTLAttribute != "" && err == nil {
		_, err := db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
			TableName:               aws.String(name),
			TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String(d.TTLAttribute), Enabled: aws.Bool(true)},
		})
		if err != nil {
			return fmt.Errorf("enable TTL on %s: %w", name, err)
		}
	}
	return nil
}
