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

// RedeemToken uses up an emailed token of the given kind and applies change
// to the token's user, both in one transaction: either the token is gone and
// the user changed, or neither. change may return an error to abandon the
// redemption (the token then stays); it is returned as is.
//
// It returns ErrNotFound for an unknown, used or other-kind token (also when
// another request redeemed it at the same moment), ErrExpired for one past
// its expiry, and ErrConflict when the user was changed concurrently.
func (s *Store) RedeemToken(ctx context.Context, hash, kind string, change func(*domain.User) error) (domain.User, error) {
	m, err := s.readAny(ctx, tokenKey(hash))
	if err != nil {
		return domain.User{}, err
	}
	if m == nil || typeOf(m) != typeToken {
		return domain.User{}, ErrNotFound
	}
	var t Token
	if err := attributevalue.UnmarshalMap(m, &t); err != nil {
		return domain.User{}, fmt.Errorf("decode token: %w", err)
	}
	if t.Kind != kind {
		return domain.User{}, ErrNotFound
	}
	if expired(m, s.now()) {
		return domain.User{}, ErrExpired
	}
	u, prev, err := s.changedUser(ctx, t.UserID, change)
	if err != nil {
		return domain.User{}, err
	}
	err = s.tx().
		delete(tokenKey(hash), cond{expr: "attribute_exists(PK)"}).
		putRecord(typeUser, userKey(u.ID), u, time.Time{}, versionIs(prev)).
		commit(ctx)
	var ce *ConflictError
	if errors.As(err, &ce) && ce.Index == 0 {
		return domain.User{}, ErrNotFound
	}
	if err != nil {
		return domain.User{}, err
	}
	return u, nil
}

// readAny reads an item whether or not it has expired; nil when missing.
func (s *Store) readAny(ctx context.Context, k item) (item, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("get item: %w", err)
	}
	return out.Item, nil
}

// MarkSessionsVerified marks every session of the user as belonging to a
// verified email, so that a browser signed in before verification may go on
// at once: one Query on GSI1 and one UpdateItem per session. It returns the
// SDK's error, wrapped, when a call fails.
//
// current, when not empty, is the hash of the session the verifying
// browser carries: it is marked first, by its key, because the index is
// only eventually consistent and may not list a session made a moment ago.
func (s *Store) MarkSessionsVerified(ctx context.Context, userID, current string) error {
	var errs []error
	if current != "" {
		_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 aws.String(s.table),
			Key:                       sessionKey(current),
			UpdateExpression:          aws.String("SET verified = :t"),
			ConditionExpression:       aws.String("userId = :u"),
			ExpressionAttributeValues: item{":t": boolean(true), ":u": str(userID)},
		})
		if err != nil && !isConditionFailed(err) {
			errs = append(errs, fmt.Errorf("mark the current session verified: %w", err))
		}
	}
	p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: item{":pk": str(sessionsOfUser(userID))},
		ProjectionExpression:      aws.String("PK, SK"),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list sessions: %w", err)
		}
		for _, m := range page.Items {
			_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
				TableName:                 aws.String(s.table),
				Key:                       item{AttrPK: m[AttrPK], AttrSK: m[AttrSK]},
				UpdateExpression:          aws.String("SET verified = :t"),
				ConditionExpression:       aws.String("attribute_exists(PK)"),
				ExpressionAttributeValues: item{":t": boolean(true)},
			})
			if err != nil && !isConditionFailed(err) {
				errs = append(errs, fmt.Errorf("mark session verified: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}

func boolean(b bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: b} }

// RecordSignIn copies a sign-in time onto every active membership of the
// user, so that member lists (one GSI2 query of memberships) show each
// member's last login without reading users, and writes the account's
// member.signed_in event in the same transaction: one Query on GSI1, then
// one TransactWriteItems per active membership, each with the
// member.signed_in event of actor at at. Like
// TouchLogin it does not bump versions, so it never makes an admin's edit
// stale. A deactivated membership is left as it is: that member cannot use
// the account. It returns the SDK's errors, wrapped, after trying every
// membership.
func (s *Store) RecordSignIn(ctx context.Context, actor domain.Actor, at time.Time) error {
	p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("GSI1PK = :pk AND begins_with(GSI1SK, :acct)"),
		ExpressionAttributeValues: item{":pk": str(userPK(actor.UserID)), ":acct": str("ACCOUNT#")},
	})
	stamp := at.UTC().Format(time.RFC3339Nano)
	var errs []error
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list memberships: %w", err)
		}
		for _, it := range page.Items {
			m, err := decodeMembership(it)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if m.Status != domain.StatusActive {
				continue
			}
			e := domain.MemberSignedIn(actor, m, at)
			tx := s.tx().update(memberKey(m.AccountID, m.UserID), "SET lastLoginAt = :t", cond{
				expr:   "attribute_exists(PK)",
				values: item{":t": str(stamp)},
			})
			s.audit(tx, e)
			if err := tx.commit(ctx); err != nil && !errors.Is(err, ErrConflict) {
				errs = append(errs, fmt.Errorf("record sign-in: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}
