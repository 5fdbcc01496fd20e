package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"roster/shared/domain"
)

// Memberships carry copies of the member's names (for member lists and
// search) and of the account's name (so that a user's accounts are one
// query). A rename changes the user or account item and, in the same
// transaction, writes a name-sync record; the names-sync function, on the
// table's stream, then updates the copies. So a rename costs the same for a
// user of 1 account as of 50, and for an account of 10 members as of
// 10,000.

const (
	typeNameSync = "namesync"

	// NameSyncUser and NameSyncAccount are the kinds of name-sync records.
	NameSyncUser    = "user"
	NameSyncAccount = "account"

	// nameSyncKeep is how long a name-sync record stays, for an operator
	// replaying the stream's dead letters; the stream is what acts on it.
	nameSyncKeep = 7 * 24 * time.Hour
	// syncWorkers bounds the concurrent membership writes of one sync.
	syncWorkers = 8
)

// NameSync is the record of a rename whose copies are still to be updated.
type NameSync struct {
	Kind string `dynamodbav:"kind"` // NameSyncUser or NameSyncAccount
	// ID is the user's or the account's id.
	ID string `dynamodbav:"id"`
	// Version is the user's or account's version the rename wrote.
	Version int64 `dynamodbav:"version"`
	// Actor made the change (a user renames only themselves); the events
	// of the synced memberships are theirs, at At.
	Actor domain.Actor `dynamodbav:"actor"`
	At    time.Time    `dynamodbav:"at"`
}

func nameSyncKey(n NameSync) item {
	pk := userPK(n.ID)
	if n.Kind == NameSyncAccount {
		pk = accountPK(n.ID)
	}
	return key(pk, fmt.Sprintf("NAMESYNC#%020d", n.Version))
}

func (t *Tx) putNameSync(n NameSync) *Tx {
	return t.putRecord(typeNameSync, nameSyncKey(n), n, n.At.Add(nameSyncKeep), cond{})
}

// NameSyncFromImage decodes a name-sync record from the table's stream.
func NameSyncFromImage(m item) (NameSync, error) {
	var n NameSync
	if err := attributevalue.UnmarshalMap(m, &n); err != nil {
		return NameSync{}, fmt.Errorf("decode name sync: %w", err)
	}
	if n.ID == "" || (n.Kind != NameSyncUser && n.Kind != NameSyncAccount) {
		return NameSync{}, fmt.Errorf("decode name sync: kind %q, id %q", n.Kind, n.ID)
	}
	return n, nil
}

// RenameUser reads the user, applies change and writes it back, with a
// name-sync record of actor at at, in one transaction conditional on the
// version read. change may return an error to abandon the update; it is
// returned as is. A lost race is ErrConflict; a missing user ErrNotFound.
func (s *Store) RenameUser(ctx context.Context, userID string, change func(*domain.User) error, actor domain.Actor, at time.Time) (domain.User, error) {
	u, prev, err := s.changedUser(ctx, userID, change)
	if err != nil {
		return domain.User{}, err
	}
	err = s.tx().putRecord(typeUser, userKey(u.ID), u, time.Time{}, versionIs(prev)).
		putNameSync(NameSync{Kind: NameSyncUser, ID: u.ID, Version: u.Version, Actor: actor, At: at}).
		commit(ctx)
	if err != nil {
		return domain.User{}, err
	}
	return u, nil
}

// SyncAccountName copies the account's current name onto each of its
// memberships that carries another, each with its own conditional update
// that also moves the membership's version on (so that an edit made from
// the membership as it was cannot write the old name back). It returns how
// many it wrote; a missing account is ErrNotFound.
func (s *Store) SyncAccountName(ctx context.Context, accountID string) (int, error) {
	a, err := s.GetAccount(ctx, accountID)
	if err != nil {
		return 0, err
	}
	p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :member)"),
		ProjectionExpression:      aws.String("userId, accountName, version"),
		ExpressionAttributeValues: item{":pk": str(accountPK(accountID)), ":member": str(memberSK(""))},
	})
	type copyOf struct {
		UserID      string `dynamodbav:"userId"`
		AccountName string `dynamodbav:"accountName"`
		Version     int64  `dynamodbav:"version"`
	}
	var (
		mu      sync.Mutex
		changed int
		errs    []error
	)
	work := make(chan copyOf)
	var wg sync.WaitGroup
	for range syncWorkers {
		wg.Go(func() {
			for c := range work {
				wrote, err := s.setAccountName(ctx, accountID, c.UserID, a.Name, c.Version)
				mu.Lock()
				if wrote {
					changed++
				}
				if err != nil && !errors.Is(err, ErrNotFound) {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		})
	}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("memberships of account: %w", err))
			break
		}
		var copies []copyOf
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &copies); err != nil {
			errs = append(errs, fmt.Errorf("decode memberships: %w", err))
			break
		}
		for _, c := range copies {
			if c.AccountName != a.Name {
				work <- c
			}
		}
	}
	close(work)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	return changed, errors.Join(errs...)
}

// setAccountName writes name on one membership read at version, reading it
// again when it changed meanwhile, and says whether it wrote. It returns
// ErrNotFound when the membership is gone.
func (s *Store) setAccountName(ctx context.Context, accountID, userID, name string, version int64) (bool, error) {
	for range 3 {
		_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 aws.String(s.table),
			Key:                       memberKey(accountID, userID),
			UpdateExpression:          aws.String("SET accountName = :name, version = :next"),
			ConditionExpression:       aws.String("version = :v"),
			ExpressionAttributeValues: item{":name": str(name), ":next": num(version + 1), ":v": num(version)},
		})
		if !isConditionFailed(err) {
			if err != nil {
				return false, fmt.Errorf("sync account name of membership: %w", err)
			}
			return true, nil
		}
		m, err := s.GetMembership(ctx, accountID, userID)
		if err != nil {
			return false, err
		}
		if m.AccountName == name {
			return false, nil
		}
		version = m.Version
	}
	return false, fmt.Errorf("sync account name of membership %s: %w", userID, ErrConflict)
}
