package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/domain"
)

// ErrExpired means the item exists but its expiresAt has passed.
var ErrExpired = errors.New("store: expired")

// Token is a single-use emailed token (email verification, password reset).
// Only its hash is stored.
type Token struct {
	Hash      string    `dynamodbav:"hash"`
	Kind      string    `dynamodbav:"kind"`
	UserID    string    `dynamodbav:"userId"`
	ExpiresAt time.Time `dynamodbav:"tokenExpiresAt"`
}

// Token kinds.
const (
	TokenVerify = "verify"
	TokenReset  = "reset"
)

func (s *Store) addToken(tx *Tx, t Token) {
	if t.Hash == "" {
		return
	}
	tx.putRecord(typeToken, tokenKey(t.Hash), t, t.ExpiresAt, notExists)
}

// PutToken stores a token.
func (s *Store) PutToken(ctx context.Context, t Token) error {
	tx := s.tx()
	s.addToken(tx, t)
	return tx.commit(ctx)
}

// ConsumeToken deletes the token of the given kind and returns it: a token
// works once, even when two requests race with it. It returns ErrNotFound
// for an unknown, used or other-kind token and ErrExpired for one past its
// expiry (which is used up too).
func (s *Store) ConsumeToken(ctx context.Context, hash, kind string) (Token, error) {
	out, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 aws.String(s.table),
		Key:                       tokenKey(hash),
		ConditionExpression:       aws.String("attribute_exists(PK) AND kind = :k"),
		ExpressionAttributeValues: item{":k": str(kind)},
		ReturnValues:              types.ReturnValueAllOld,
	})
	if isConditionFailed(err) {
		return Token{}, ErrNotFound
	}
	if err != nil {
		return Token{}, fmt.Errorf("consume token: %w", err)
	}
	var t Token
	if err := attributevalue.UnmarshalMap(out.Attributes, &t); err != nil {
		return Token{}, fmt.Errorf("decode token: %w", err)
	}
	if expired(out.Attributes, s.now()) {
		return Token{}, ErrExpired
	}
	return t, nil
}

// CreateSession stores a session under the hash of its token. It returns
// ErrConflict when a session with that hash exists.
func (s *Store) CreateSession(ctx context.Context, sess domain.Session) error {
	m, err := record(typeSession, sessionKey(sess.TokenHash), sess, sess.ExpiresAt)
	if err != nil {
		return err
	}
	m[AttrGSI1PK] = str(sessionsOfUser(sess.UserID))
	m[AttrGSI1SK] = str(timeKey(sess.CreatedAt) + "#" + sess.TokenHash)
	// One PutItem, not a one-item transaction: half the write units.
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(s.table),
		Item:                m,
		ConditionExpression: aws.String("attribute_not_exists(PK)"),
	})
	if isConditionFailed(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

func decodeSession(m item) (domain.Session, error) {
	var sess domain.Session
	if err := attributevalue.UnmarshalMap(m, &sess); err != nil {
		return domain.Session{}, fmt.Errorf("decode session: %w", err)
	}
	return sess, nil
}

// GetSession returns the session with the token hash, or ErrNotFound when
// it is unknown, signed out or expired. It is one strongly consistent read,
// so that a sign-out takes effect at once.
func (s *Store) GetSession(ctx context.Context, hash string) (domain.Session, error) {
	m, err := s.get(ctx, sessionKey(hash), true)
	if err != nil {
		return domain.Session{}, err
	}
	return decodeSession(m)
}

// GetSessionAndMembership reads a session and a user's membership of an
// account in one round trip (BatchGetItem, strongly consistent, so that a
// deactivation or removal takes effect on the member's very next request).
// userID comes from the cookie, beside the token; the session must belong to
// it. It returns ErrNotFound when the session is unknown, expired or not
// the user's; a missing membership is reported by ok=false.
func (s *Store) GetSessionAndMembership(ctx context.Context, hash, userID, accountID string) (domain.Session, domain.Membership, bool, error) {
	keys := []item{sessionKey(hash), memberKey(accountID, userID)}
	// Fail closed: an unprocessed session key is an error, never "not
	// signed in" or "not a member".
	got, err := s.batchGet(ctx, keys, read{consistent: true})
	if err != nil {
		return domain.Session{}, domain.Membership{}, false, fmt.Errorf("batch get session: %w", err)
	}
	var (
		sess   domain.Session
		member domain.Membership
		found  bool
		ok     bool
	)
	now := s.now()
	for _, m := range got {
		switch typeOf(m) {
		case typeSession:
			if expired(m, now) {
				continue
			}
			d, err := decodeSession(m)
			if err != nil {
				return domain.Session{}, domain.Membership{}, false, err
			}
			sess, found = d, true
		case typeMembership:
			d, err := decodeMembership(m)
			if err != nil {
				return domain.Session{}, domain.Membership{}, false, err
			}
			member, ok = d, true
		}
	}
	if !found || sess.UserID != userID {
		return domain.Session{}, domain.Membership{}, false, ErrNotFound
	}
	return sess, member, ok, nil
}

func typeOf(m item) string {
	if v, ok := m[AttrType].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// DeleteSession signs a session out. Deleting an unknown session is not an
// error.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.table), Key: sessionKey(hash)})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessionsOfUser signs the user out everywhere but the session with
// keepHash (empty keeps none).
func (s *Store) DeleteSessionsOfUser(ctx context.Context, userID, keepHash string) error {
	p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: item{":pk": str(sessionsOfUser(userID))},
		ProjectionExpression:      aws.String("PK, SK, tokenHash"),
	})
	var errs []error
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list sessions: %w", err)
		}
		for _, m := range page.Items {
			var sess domain.Session
			_ = attributevalue.UnmarshalMap(m, &sess)
			if keepHash != "" && sess.TokenHash == keepHash {
				continue
			}
			if err := s.DeleteSession(ctx, sess.TokenHash); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
