package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// item is one table item in its wire form.
type item = map[string]types.AttributeValue

// Key builders: every key of the table is made here, nowhere else.
func key(pk, sk string) item {
	return item{AttrPK: str(pk), AttrSK: str(sk)}
}

func userKey(userID string) item       { return key("USER#"+userID, "PROFILE") }
func emailKey(email string) item       { return key("EMAIL#"+email, "EMAIL") }
func sessionKey(hash string) item      { return key("SESSION#"+hash, "SESSION") }
func tokenKey(hash string) item        { return key("TOKEN#"+hash, "TOKEN") }
func rateKey(bucket string) item       { return key("RATE#"+bucket, "RATE") }
func accountKey(accountID string) item { return key(accountPK(accountID), "ACCOUNT") }
func memberKey(accountID, userID string) item {
	return key(accountPK(accountID), memberSK(userID))
}
func accountPK(accountID string) string { return "ACCOUNT#" + accountID }
func memberSK(userID string) string     { return "MEMBER#" + userID }

// formerKey is the record a removal keeps of a former member: beside the
// account's memberships, never a membership itself.
func formerKey(accountID, userID string) item {
	return key(accountPK(accountID), formerSK(userID))
}
func formerSK(userID string) string { return "FORMER#" + userID }
func userPK(userID string) string   { return "USER#" + userID }
func sessionsOfUser(userID string) string {
	return "USER#" + userID + "#SESSIONS"
}
func historyPK(accountID string) string { return "ACCOUNT#" + accountID + "#HISTORY" }
func memberHistoryPK(accountID, userID string) string {
	return "ACCOUNT#" + accountID + "#MEMBER#" + userID + "#HISTORY"
}

func str(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }
func num(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// timeKey renders t for sort keys: fixed width, so that string order is
// time order.
func timeKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// record marshals v and stamps the item's type, keys and, when given, the
// expiry (epoch seconds, the TTL attribute). It is the one place items are
// stamped.
func record(typ string, k item, v any, expires time.Time) (item, error) {
	m, err := attributevalue.MarshalMap(v)
	if err != nil {
		return nil, fmt.Errorf("marshal %s: %w", typ, err)
	}
	for name, val := range k {
		m[name] = val
	}
	m[AttrType] = str(typ)
	if !expires.IsZero() {
		m[AttrExpiresAt] = num(expires.Unix())
	}
	return m, nil
}

// expired reports whether an item's expiresAt is in the past. DynamoDB TTL
// deletes late (often hours), so every read checks it.
func expired(m item, now time.Time) bool {
	v, ok := m[AttrExpiresAt].(*types.AttributeValueMemberN)
	if !ok {
		return false
	}
	n, err := strconv.ParseInt(v.Value, 10, 64)
	return err == nil && n <= now.Unix()
}

// get reads one item, or ErrNotFound when it is missing or expired.
func (s *Store) get(ctx context.Context, k item, consistent bool) (item, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            k,
		ConsistentRead: aws.Bool(consistent),
	})
	if err != nil {
		return nil, fmt.Errorf("get item: %w", err)
	}
	if out.Item == nil || expired(out.Item, s.now()) {
		return nil, ErrNotFound
	}
	return out.Item, nil
}

// Tx gathers the writes of one change and its audit event, committed
// together by TransactWriteItems (at most 100 items).
type Tx struct {
	s     *Store
	items []types.TransactWriteItem
	err   error
}

func (s *Store) tx() *Tx { return &Tx{s: s} }

// cond is a condition expression with its names and values.
type cond struct {
	expr   string
	names  map[string]string
	values item
}

func (c cond) exprPtr() *string {
	if c.expr == "" {
		return nil
	}
	return aws.String(c.expr)
}

func nilIfEmpty[M ~map[K]V, K comparable, V any](m M) M {
	if len(m) == 0 {
		return nil
	}
	return m
}

// notExists is the condition of a create.
var notExists = cond{expr: "attribute_not_exists(PK)"}

func (t *Tx) put(m item, c cond) *Tx {
	t.items = append(t.items, types.TransactWriteItem{Put: &types.Put{
		TableName:                 aws.String(t.s.table),
		Item:                      m,
		ConditionExpression:       c.exprPtr(),
		ExpressionAttributeNames:  nilIfEmpty(c.names),
		ExpressionAttributeValues: nilIfEmpty(c.values),
	}})
	return t
}

func (t *Tx) putRecord(typ string, k item, v any, expires time.Time, c cond) *Tx {
	m, err := record(typ, k, v, expires)
	if err != nil {
		t.err = errors.Join(t.err, err)
		return t
	}
	return t.put(m, c)
}

// update adds an UpdateItem with the update expression expr; c's names and
// values serve both expressions.
func (t *Tx) update(k item, expr string, c cond) *Tx {
	t.items = append(t.items, types.TransactWriteItem{Update: &types.Update{
		TableName:                 aws.String(t.s.table),
		Key:                       k,
		UpdateExpression:          aws.String(expr),
		ConditionExpression:       c.exprPtr(),
		ExpressionAttributeNames:  nilIfEmpty(c.names),
		ExpressionAttributeValues: nilIfEmpty(c.values),
	}})
	return t
}

func (t *Tx) delete(k item, c cond) *Tx {
	t.items = append(t.items, types.TransactWriteItem{Delete: &types.Delete{
		TableName:                 aws.String(t.s.table),
		Key:                       k,
		ConditionExpression:       c.exprPtr(),
		ExpressionAttributeNames:  nilIfEmpty(c.names),
		ExpressionAttributeValues: nilIfEmpty(c.values),
	}})
	return t
}

func (t *Tx) check(k item, c cond) *Tx {
	t.items = append(t.items, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName:                 aws.String(t.s.table),
		Key:                       k,
		ConditionExpression:       aws.String(c.expr),
		ExpressionAttributeNames:  nilIfEmpty(c.names),
		ExpressionAttributeValues: nilIfEmpty(c.values),
	}})
	return t
}

// ConflictError says which write of a transaction failed its condition.
type ConflictError struct {
	// Index is the position of the failed write in the transaction.
	Index int
}

func (e *ConflictError) Error() string { return fmt.Sprintf("store: conflict at write %d", e.Index) }

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// commit writes everything or nothing. A failed condition is a
// *ConflictError (errors.Is ErrConflict) naming the write that failed.
func (t *Tx) commit(ctx context.Context) error {
	if t.err != nil {
		return t.err
	}
	if len(t.items) == 0 {
		return nil
	}
	_, err := t.s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: t.items})
	var cancelled *types.TransactionCanceledException
	if errors.As(err, &cancelled) {
		for i, r := range cancelled.CancellationReasons {
			if aws.ToString(r.Code) == "ConditionalCheckFailed" {
				return &ConflictError{Index: i}
			}
		}
		for _, r := range cancelled.CancellationReasons {
			if aws.ToString(r.Code) == "TransactionConflict" {
				// Another transaction touched the same item at the same
				// moment: for the caller that is a lost race.
				return &ConflictError{Index: -1}
			}
		}
	}
	if err != nil {
		return fmt.Errorf("transact write: %w", err)
	}
	return nil
}

// isConditionFailed reports whether err is a failed condition of a single write.
func isConditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}
