package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/config"
)

// Store reads and writes Roster's items in one table.
type Store struct {
	db    *dynamodb.Client
	table string
	now   func() time.Time
	// retention is how long audit events are kept; zero keeps them for ever.
	retention time.Duration
}

// New returns a Store over the named table. db is the process's one client
// (see NewClient).
func New(db *dynamodb.Client, table string) *Store {
	return &Store{db: db, table: table, now: time.Now}
}

// WithClock returns a copy of the store that reads the time from now, for
// tests of expiry.
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// Now returns the store's current time.
func (s *Store) Now() time.Time { return s.now() }

// TableName returns the table the store works on.
func (s *Store) TableName() string { return s.table }

// healthKey is an item that never exists: reading it proves the table is
// reachable and the function may read it, for half a read unit.
func healthKey() map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		AttrPK: &types.AttributeValueMemberS{Value: "HEALTH"},
		AttrSK: &types.AttributeValueMemberS{Value: "HEALTH"},
	}
}

// Ping checks that the table answers a read. It returns the SDK's error,
// wrapped, when the table is missing, unreachable or not readable.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table),
		Key:       healthKey(),
	})
	if err != nil {
		return fmt.Errorf("ping table %s: %w", s.table, err)
	}
	return nil
}

// IsNotFound reports whether err is or wraps ErrNotFound.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// Open returns the Store every function uses: the process's one client and
// the configured table, with audit events kept for the configured
// retention (HISTORY_RETENTION_DAYS; 0 keeps them for ever). It panics when
// the AWS configuration cannot be loaded, which Lambda reports as an init
// error.
func Open(cfg config.Config) *Store {
	s := New(MustNewClient(), cfg.TableName)
	if cfg.HistoryRetentionDays > 0 {
		s = s.WithHistoryRetention(time.Duration(cfg.HistoryRetentionDays) * 24 * time.Hour)
	}
	return s
}
