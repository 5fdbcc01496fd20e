package streams

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// toEvent converts a record of the DynamoDB Streams API into the form
// Lambda hands a function in a DynamoDBEvent.
func toEvent(r types.Record, streamARN, region string) events.DynamoDBEventRecord {
	ev := events.DynamoDBEventRecord{
		AWSRegion:      region,
		EventID:        aws.ToString(r.EventID),
		EventName:      string(r.EventName),
		EventSource:    "aws:dynamodb",
		EventVersion:   "1.1",
		EventSourceArn: streamARN,
	}
	if r.Dynamodb != nil {
		d := r.Dynamodb
		ev.Change = events.DynamoDBStreamRecord{
			Keys:           toEventImage(d.Keys),
			NewImage:       toEventImage(d.NewImage),
			OldImage:       toEventImage(d.OldImage),
			SequenceNumber: aws.ToString(d.SequenceNumber),
			SizeBytes:      aws.ToInt64(d.SizeBytes),
			StreamViewType: string(d.StreamViewType),
		}
		if d.ApproximateCreationDateTime != nil {
			ev.Change.ApproximateCreationDateTime = events.SecondsEpochTime{Time: *d.ApproximateCreationDateTime}
		}
	}
	if r.UserIdentity != nil {
		ev.UserIdentity = &events.DynamoDBUserIdentity{Type: aws.ToString(r.UserIdentity.Type), PrincipalID: aws.ToString(r.UserIdentity.PrincipalId)}
	}
	return ev
}

func toEventImage(img map[string]types.AttributeValue) map[string]events.DynamoDBAttributeValue {
	if img == nil {
		return nil
	}
	out := make(map[string]events.DynamoDBAttributeValue, len(img))
	for k, v := range img {
		out[k] = toEventValue(v)
	}
	return out
}

func toEventValue(v types.AttributeValue) events.DynamoDBAttributeValue {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return events.NewStringAttribute(x.Value)
	case *types.AttributeValueMemberN:
		return events.NewNumberAttribute(x.Value)
	case *types.AttributeValueMemberB:
		return events.NewBinaryAttribute(x.Value)
	case *types.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(x.Value)
	case *types.AttributeValueMemberNULL:
		return events.NewNullAttribute()
	case *types.AttributeValueMemberSS:
		return events.NewStringSetAttribute(x.Value)
	case *types.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(x.Value)
	case *types.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(x.Value)
	case *types.AttributeValueMemberL:
		l := make([]events.DynamoDBAttributeValue, 0, len(x.Value))
		for _, e := range x.Value {
			l = append(l, toEventValue(e))
		}
		return events.NewListAttribute(l)
	case *types.AttributeValueMemberM:
		return events.NewMapAttribute(toEventImage(x.Value))
	}
	return events.NewNullAttribute()
}

// keyString is a canonical form of an item's key, the same for equal keys
// whatever map order they came in.
func keyString(keys map[string]events.DynamoDBAttributeValue) string {
	b, _ := json.Marshal(keys) // maps marshal with sorted keys
	return string(b)
}

// toItemKey converts a stream record's key into a DynamoDB API key. Keys
// are strings, numbers or binaries.
func toItemKey(keys map[string]types.AttributeValue) (map[string]ddbtypes.AttributeValue, error) {
	out := make(map[string]ddbtypes.AttributeValue, len(keys))
	for k, v := range keys {
		switch x := v.(type) {
		case *types.AttributeValueMemberS:
			out[k] = &ddbtypes.AttributeValueMemberS{Value: x.Value}
		case *types.AttributeValueMemberN:
			out[k] = &ddbtypes.AttributeValueMemberN{Value: x.Value}
		case *types.AttributeValueMemberB:
			out[k] = &ddbtypes.AttributeValueMemberB{Value: x.Value}
		default:
			return nil, fmt.Errorf("streams: key attribute %s has type %T", k, v)
		}
	}
	return out, nil
}
