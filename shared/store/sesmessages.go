package store

import (
	"context"
	"fmt"

	"roster/shared/domain"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// typeSESMessage is the item that finds an invitation from the SES message
// id of its email, for the events SES publishes about that message.
const typeSESMessage = "sesMessage"

func sesMessageKey(messageID string) item { return key("SESMSG#"+messageID, "SESMSG") }

// sesMessage is the lookup item PK=SESMSG#<messageId> SK=SESMSG. It lives
// (TTL) as long as its invitation item.
type sesMessage struct {
	AccountID string `dynamodbav:"accountId"`
	InviteID  string `dynamodbav:"inviteId"`
}

// InvitationOfMessage returns the account and invitation whose email SES
// sent as messageID (one GetItem), or ErrNotFound for a message id that is
// unknown (not an invitation's, or forgotten after the invitation's
// retention).
func (s *Store) InvitationOfMessage(ctx context.Context, messageID string) (accountID, inviteID string, err error) {
	m, err := s.get(ctx, sesMessageKey(messageID), true)
	if err != nil {
		return "", "", err
	}
	var rec sesMessage
	if err := attributevalue.UnmarshalMap(m, &rec); err != nil {
		return "", "", fmt.Errorf("decode ses message: %w", err)
	}
	return rec.AccountID, rec.InviteID, nil
}

// DeliveryEvent is what SES reported about one message.
type DeliveryEvent struct {
	MessageID string
	// Delivery is the invitation's new delivery state: domain.DeliveryBounced,
	// domain.DeliveryComplained or domain.DeliveryFailed; domain.DeliverySent records only the
	// reason (a transient bounce, or "" once the message was delivered)
	// and only while the delivery is still sent.
	Delivery string
	// Reason is short and safe to show to admins.
	Reason string
}

// RecordDeliveryEvent applies e to the invitation, in one conditional
// UpdateItem that does not bump the version (it never makes an admin's edit
// stale). It applies only while the invitation's current email is
// e.MessageID, so that an event about the email of an older link (before a
// resend) changes nothing; a complaint is never overwritten by a bounce or
// a failure. Applying the same event twice writes the same values: it is
// idempotent. It reports whether the invitation was changed.
func (s *Store) RecordDeliveryEvent(ctx context.Context, accountID, inviteID string, e DeliveryEvent) (bool, error) {
	values := item{":mid": str(e.MessageID), ":r": str(e.Reason)}
	names := map[string]string{}
	var expr, condition string
	switch e.Delivery {
	case domain.DeliverySent:
		expr, condition = "SET deliveryReason = :r", "messageId = :mid AND delivery = :d"
		values[":d"] = str(domain.DeliverySent)
	case domain.DeliveryComplained:
		expr, condition = "SET delivery = :d, deliveryReason = :r", "messageId = :mid"
		values[":d"] = str(domain.DeliveryComplained)
	case domain.DeliveryBounced, domain.DeliveryFailed:
		expr, condition = "SET delivery = :d, deliveryReason = :r", "messageId = :mid AND delivery <> :c"
		values[":d"], values[":c"] = str(e.Delivery), str(domain.DeliveryComplained)
	default:
		return false, fmt.Errorf("store: delivery event %q is not one of sent, bounced, complained, failed", e.Delivery)
	}
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       inviteKey(accountID, inviteID),
		UpdateExpression:          aws.String(expr),
		ConditionExpression:       aws.String(condition),
		ExpressionAttributeNames:  nilIfEmpty(names),
		ExpressionAttributeValues: values,
	})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("record delivery event: %w", err)
	}
	return true, nil
}
