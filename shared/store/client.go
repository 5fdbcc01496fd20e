package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"roster/shared/awsenv"
	"roster/shared/telemetry"
)

// NewClient builds the process's one DynamoDB client from the environment
// (awsenv; AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local) with
// capacity accounting on every call.
func NewClient() (*dynamodb.Client, error) {
	cfg, err := awsenv.Config("DynamoDB")
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	return NewClientFromConfig(cfg, cfg.BaseEndpoint != nil), nil
}

// NewClientFromConfig builds a client from cfg. local says the endpoint is
// DynamoDB Local, whose capacity figures are corrected to what AWS charges.
func NewClientFromConfig(cfg aws.Config, local bool) *dynamodb.Client {
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(capacityMiddleware{local: local}, middleware.Before)
		})
	})
}

// capacityMiddleware asks for ReturnConsumedCapacity=TOTAL on every call and
// records the call, its duration and consumed capacity in the request's
// telemetry.Recorder.
//
// Against DynamoDB Local (3.x) two figures differ from what AWS charges, and
// are corrected so that the numbers reported are AWS's (capacity_test.go
// checks each rule against Local):
//   - TransactWriteItems is reported at the rate of ordinary writes, while
//     AWS charges 2 WCU per KB per item: its figure is doubled.
//     (TransactGetItems is already reported at AWS's 2 RCU per 4 KB.) The
//     doubling also covers the index writes Local folds into the total, so
//     for items with index keys the figure is an upper bound.
//   - BatchGetItem reports nothing for keys that are not found, while AWS
//     charges the minimum read for each (0.5 RCU, or 1 when strongly
//     consistent): that minimum is added for each key not returned.
type capacityMiddleware struct{ local bool }

func (capacityMiddleware) ID() string { return "RosterConsumedCapacity" }

func (m capacityMiddleware) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	total := types.ReturnConsumedCapacityTotal
	switch p := in.Parameters.(type) {
	case *dynamodb.GetItemInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.PutItemInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.UpdateItemInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.DeleteItemInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.QueryInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.BatchGetItemInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.BatchWriteItemInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.TransactGetItemsInput:
		p.ReturnConsumedCapacity = total
	case *dynamodb.TransactWriteItemsInput:
		p.ReturnConsumedCapacity = total
	}
	start := time.Now()
	out, md, err := next.HandleInitialize(ctx, in)
	call := telemetry.Call{Op: opName(in.Parameters), Duration: time.Since(start)}
	var caps []types.ConsumedCapacity
	transact := false
	switch o := out.Result.(type) {
	case *dynamodb.GetItemOutput:
		caps = one(o.ConsumedCapacity)
		if o.Item != nil {
			call.Items = 1
		}
	case *dynamodb.PutItemOutput:
		caps = one(o.ConsumedCapacity)
	case *dynamodb.UpdateItemOutput:
		caps = one(o.ConsumedCapacity)
	case *dynamodb.DeleteItemOutput:
		caps = one(o.ConsumedCapacity)
	case *dynamodb.QueryOutput:
		caps = one(o.ConsumedCapacity)
		call.Items = int(o.ScannedCount)
	case *dynamodb.BatchGetItemOutput:
		caps = o.ConsumedCapacity
		for _, items := range o.Responses {
			call.Items += len(items)
		}
	case *dynamodb.BatchWriteItemOutput:
		caps = o.ConsumedCapacity
	case *dynamodb.TransactGetItemsOutput:
		caps = o.ConsumedCapacity
		for _, r := range o.Responses {
			if r.Item != nil {
				call.Items++
			}
		}
	case *dynamodb.TransactWriteItemsOutput:
		caps, transact = o.ConsumedCapacity, true
	}
	write := isWrite(call.Op)
	for _, c := range caps {
		r, w := capacityUnits(c, write)
		if transact && m.local {
			r, w = 2*r, 2*w
		}
		call.RCU += r
		call.WCU += w
	}
	if m.local && err == nil {
		call.RCU += missingBatchReads(in.Parameters, out.Result)
	}
	telemetry.FromContext(ctx).Add(call)
	return out, md, err
}

func one(c *types.ConsumedCapacity) []types.ConsumedCapacity {
	if c == nil {
		return nil
	}
	return []types.ConsumedCapacity{*c}
}

// capacityUnits splits a ConsumedCapacity into read and write units. With
// ReturnConsumedCapacity=TOTAL only CapacityUnits is filled, so the kind of
// operation says which it is; a conditional write that fails still consumes
// write units, and the same rule counts them.
func capacityUnits(c types.ConsumedCapacity, write bool) (rcu, wcu float64) {
	if c.ReadCapacityUnits != nil || c.WriteCapacityUnits != nil {
		return aws.ToFloat64(c.ReadCapacityUnits), aws.ToFloat64(c.WriteCapacityUnits)
	}
	if write {
		return 0, aws.ToFloat64(c.CapacityUnits)
	}
	return aws.ToFloat64(c.CapacityUnits), 0
}

func isWrite(op string) bool {
	switch op {
	case "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems":
		return true
	}
	return false
}

func opName(p any) string {
	switch p.(type) {
	case *dynamodb.GetItemInput:
		return "GetItem"
	case *dynamodb.PutItemInput:
		return "PutItem"
	case *dynamodb.UpdateItemInput:
		return "UpdateItem"
	case *dynamodb.DeleteItemInput:
		return "DeleteItem"
	case *dynamodb.QueryInput:
		return "Query"
	case *dynamodb.BatchGetItemInput:
		return "BatchGetItem"
	case *dynamodb.BatchWriteItemInput:
		return "BatchWriteItem"
	case *dynamodb.TransactGetItemsInput:
		return "TransactGetItems"
	case *dynamodb.TransactWriteItemsInput:
		return "TransactWriteItems"
	case *dynamodb.DescribeTableInput:
		return "DescribeTable"
	default:
		return fmt.Sprintf("%T", p)
	}
}

// MustNewClient is NewClient for mains: it panics, which Lambda reports as an
// init error.
func MustNewClient() *dynamodb.Client {
	c, err := NewClient()
	if err != nil {
		panic(err)
	}
	return c
}

// missingBatchReads returns the minimum read charge AWS makes for the keys of
// a BatchGetItem that found no item (and were not left unprocessed), which
// DynamoDB Local does not report.
func missingBatchReads(params, result any) float64 {
	in, ok := params.(*dynamodb.BatchGetItemInput)
	if !ok {
		return 0
	}
	out, ok := result.(*dynamodb.BatchGetItemOutput)
	if !ok {
		return 0
	}
	var extra float64
	for table, ka := range in.RequestItems {
		missing := len(ka.Keys) - len(out.Responses[table])
		if u, ok := out.UnprocessedKeys[table]; ok {
			missing -= len(u.Keys)
		}
		min := 0.5
		if aws.ToBool(ka.ConsistentRead) {
			min = 1
		}
		if missing > 0 {
			extra += float64(missing) * min
		}
	}
	return extra
}
