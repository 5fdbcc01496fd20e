package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"

	"roster/shared/domain"
)

// CreateAccount writes a new account, its owner's membership, the
// account.created event and, when perUser has a Max, one hit of the
// owner's account-creation limit, in one transaction. It returns
// *RateLimitedError past the limit (nothing written).
func (s *Store) CreateAccount(ctx context.Context, a domain.Account, owner domain.Membership, ev domain.AuditEvent, perUser Limit) error {
	a.Version, owner.Version = 1, 1
	tx := s.tx().putRecord(typeAccount, accountKey(a.ID), a, time.Time{}, notExists)
	s.putMembership(tx, owner, nil, notExists)
	s.audit(tx, ev)
	reasons := map[int]error{}
	if perUser.Max > 0 {
		now := s.now()
		i, end := tx.hit(AccountsLimit(owner.UserID), perUser, now)
		reasons[i] = &RateLimitedError{RetryAfter: retryAfter(end, now)}
	}
	return mapConflict(tx.commit(ctx), reasons)
}

// AccountsLimit names the cap on the accounts one person creates.
func AccountsLimit(userID string) string { return "accounts#user#" + userID }

// GetAccount returns the account, or ErrNotFound. The read is strongly
// consistent: its callers edit the account under its version.
func (s *Store) GetAccount(ctx context.Context, accountID string) (domain.Account, error) {
	m, err := s.get(ctx, accountKey(accountID), true)
	if err != nil {
		return domain.Account{}, err
	}
	var a domain.Account
	if err := attributevalue.UnmarshalMap(m, &a); err != nil {
		return domain.Account{}, fmt.Errorf("decode account: %w", err)
	}
	return a, nil
}

// RenameAccount renames the account a, as the caller read it, and writes
// the account.renamed event and a name-sync record (the names-sync
// function copies the name onto the memberships), in one transaction
// conditional on the stored version still being a.Version. It returns the renamed account, and a
// *ConflictError (errors.Is ErrConflict) when the account is gone or its
// version moved on.
func (s *Store) RenameAccount(ctx context.Context, a domain.Account, name string, ev domain.AuditEvent) (domain.Account, error) {
	tx := s.tx().update(accountKey(a.ID), "SET #name = :name, version = :next", cond{
		expr:   "version = :v",
		names:  map[string]string{"#name": "name"},
		values: item{":name": str(name), ":next": num(a.Version + 1), ":v": num(a.Version)},
	})
	s.audit(tx, ev)
	tx.putNameSync(NameSync{Kind: NameSyncAccount, ID: a.ID, Version: a.Version + 1, At: ev.At})
	if err := tx.commit(ctx); err != nil {
		return domain.Account{}, err
	}
	a.Name, a.Version = name, a.Version+1
	return a, nil
}

// AccountNames returns the current names of the accounts, by id, with
// BatchGetItem (100 keys a call). Memberships carry a copy of the name from
// when they were made; a rename changes only the account item.
func (s *Store) AccountNames(ctx context.Context, ids []string) (map[string]string, error) {
	keys := make([]item, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, accountKey(id))
	}
	items, err := s.batchGet(ctx, keys, read{projection: "id, #name", names: map[string]string{"#name": "name"}})
	if err != nil {
		return nil, fmt.Errorf("account names: %w", err)
	}
	names := make(map[string]string, len(ids))
	for _, m := range items {
		var a domain.Account
		if err := attributevalue.UnmarshalMap(m, &a); err != nil {
			return nil, fmt.Errorf("decode account: %w", err)
		}
		names[a.ID] = a.Name
	}
	return names, nil
}
