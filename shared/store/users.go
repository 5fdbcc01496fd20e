package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"roster/shared/domain"
)

// Item types.
const (
	typeUser       = "user"
	typeEmail      = "email"
	typeSession    = "session"
	typeToken      = "token"
	typeRate       = "rate"
	typeAccount    = "account"
	typeMembership = "membership"
	typeFormer     = "formerMember"
	typeEvent      = "event"
)

// emailRecord makes an email unique and finds its user.
type emailRecord struct {
	UserID string `dynamodbav:"userId"`
}

// CreateUser writes a new user, claims its email, and queues m (the mail
// that confirms the address; none when m.ID is empty), in one
// transaction. It returns ErrConflict when the email is taken.
func (s *Store) CreateUser(ctx context.Context, u domain.User, m Mail) error {
	u.Version = 1
	tx := s.tx().
		putRecord(typeUser, userKey(u.ID), u, time.Time{}, notExists).
		putRecord(typeEmail, emailKey(u.Email), emailRecord{UserID: u.ID}, time.Time{}, notExists)
	if m.ID != "" {
		tx.queueMail(m)
	}
	return tx.commit(ctx)
}

// UserIDByEmail returns the id of the login of the normalized email (one
// GetItem of its claim), or ErrNotFound.
func (s *Store) UserIDByEmail(ctx context.Context, email string) (string, error) {
	m, err := s.get(ctx, emailKey(email), true)
	if err != nil {
		return "", err
	}
	var rec emailRecord
	if err := attributevalue.UnmarshalMap(m, &rec); err != nil {
		return "", fmt.Errorf("decode email claim: %w", err)
	}
	return rec.UserID, nil
}

// GetUser returns the user, or ErrNotFound.
func (s *Store) GetUser(ctx context.Context, userID string) (domain.User, error) {
	m, err := s.get(ctx, userKey(userID), true)
	if err != nil {
		return domain.User{}, err
	}
	var u domain.User
	if err := attributevalue.UnmarshalMap(m, &u); err != nil {
		return domain.User{}, fmt.Errorf("decode user: %w", err)
	}
	return u, nil
}

// GetUserByEmail returns the user with the normalized email, or ErrNotFound.
// It costs two reads: the email's claim, then the user.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (domain.User, error) {
	id, err := s.UserIDByEmail(ctx, email)
	if err != nil {
		return domain.User{}, err
	}
	return s.GetUser(ctx, id)
}

// changedUser reads the user and applies change, and returns the user with
// its version moved on and the version read, for a write conditional on
// it. It returns change's error as is, and GetUser's.
func (s *Store) changedUser(ctx context.Context, userID string, change func(*domain.User) error) (domain.User, int64, error) {
	u, err := s.GetUser(ctx, userID)
	if err != nil {
		return domain.User{}, 0, err
	}
	if err := change(&u); err != nil {
		return domain.User{}, 0, err
	}
	prev := u.Version
	u.Version++
	return u, prev, nil
}

// UpdateUser reads the user, applies change and writes it back if nobody
// wrote it in between (optimistic concurrency on Version). change may
// return an error to abandon the update; it is returned as is. A lost race
// is ErrConflict.
func (s *Store) UpdateUser(ctx context.Context, userID string, change func(*domain.User) error) (domain.User, error) {
	u, err := s.GetUser(ctx, userID)
	if err != nil {
		return domain.User{}, err
	}
	if err := change(&u); err != nil {
		return domain.User{}, err
	}
	if err := s.putUser(ctx, u); err != nil {
		return domain.User{}, err
	}
	u.Version++
	return u, nil
}

func (s *Store) putUser(ctx context.Context, u domain.User) error {
	prev := u.Version
	u.Version++
	m, err := record(typeUser, userKey(u.ID), u, time.Time{})
	if err != nil {
		return err
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(s.table),
		Item:                      m,
		ConditionExpression:       aws.String("version = :v"),
		ExpressionAttributeValues: item{":v": num(prev)},
	})
	if isConditionFailed(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("put user: %w", err)
	}
	return nil
}

// TouchLogin records a successful sign-in. It is best effort: it does not
// bump the version, so it never makes a concurrent edit of the user stale.
func (s *Store) TouchLogin(ctx context.Context, userID string, at time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       userKey(userID),
		UpdateExpression:          aws.String("SET lastLoginAt = :t"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: item{":t": str(at.UTC().Format(time.RFC3339Nano))},
	})
	if err != nil && !isConditionFailed(err) {
		return fmt.Errorf("touch login: %w", err)
	}
	return nil
}
