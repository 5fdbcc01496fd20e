package store

import (
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/domain"
)

// FromStreamImage converts a stream record's image into the SDK's item
// form. It returns an error for an attribute type it does not know.
func FromStreamImage(img map[string]events.DynamoDBAttributeValue) (map[string]types.AttributeValue, error) {
	out := make(map[string]types.AttributeValue, len(img))
	for k, v := range img {
		c, err := fromStream(v)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", k, err)
		}
		out[k] = c
	}
	return out, nil
}

func fromStream(v events.DynamoDBAttributeValue) (types.AttributeValue, error) {
	switch v.DataType() {
	case events.DataTypeString:
		return &types.AttributeValueMemberS{Value: v.String()}, nil
	case events.DataTypeNumber:
		return &types.AttributeValueMemberN{Value: v.Number()}, nil
	case events.DataTypeBinary:
		return &types.AttributeValueMemberB{Value: v.Binary()}, nil
	case events.DataTypeBoolean:
		return &types.AttributeValueMemberBOOL{Value: v.Boolean()}, nil
	case events.DataTypeNull:
		return &types.AttributeValueMemberNULL{Value: true}, nil
	case events.DataTypeStringSet:
		return &types.AttributeValueMemberSS{Value: v.StringSet()}, nil
	case events.DataTypeNumberSet:
		return &types.AttributeValueMemberNS{Value: v.NumberSet()}, nil
	case events.DataTypeBinarySet:
		return &types.AttributeValueMemberBS{Value: v.BinarySet()}, nil
	case events.DataTypeList:
		l := v.List()
		out := make([]types.AttributeValue, 0, len(l))
		for _, e := range l {
			c, err := fromStream(e)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return &types.AttributeValueMemberL{Value: out}, nil
	case events.DataTypeMap:
		m, err := FromStreamImage(v.Map())
		if err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberM{Value: m}, nil
	}
	return nil, fmt.Errorf("unknown attribute type %v", v.DataType())
}

// EventFromImage decodes a history event from the stream image of its
// item (type event). It returns an error for an image of another type.
func EventFromImage(img map[string]events.DynamoDBAttributeValue) (domain.AuditEvent, error) {
	m, err := FromStreamImage(img)
	if err != nil {
		return domain.AuditEvent{}, err
	}
	if t, ok := m[AttrType].(*types.AttributeValueMemberS); !ok || t.Value != typeEvent {
		return domain.AuditEvent{}, fmt.Errorf("store: stream image is not a history event")
	}
	var ev domain.AuditEvent
	if err := attributevalue.UnmarshalMap(m, &ev); err != nil {
		return domain.AuditEvent{}, fmt.Errorf("decode event: %w", err)
	}
	return ev, nil
}

// TypeEvent is the item type of a history event; the events publisher's
// stream filter selects its inserts.
const TypeEvent = typeEvent
