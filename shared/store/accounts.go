package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"roster/shared/domain"
)

// memberStatusPK and memberNameSK index the member list of an account by
// status in name order (GSI2).
func memberStatusPK(accountID string, status domain.MemberStatus) string {
	return "ACCOUNT#" + accountID + "#MEMBERS#" + string(status)
}

func memberNameSK(m domain.Membership) string {
	name := strings.ToLower(domain.FullName(m.FirstName, m.LastName, m.Email))
	return name + "#" + m.UserID
}

// membershipItem is the membership with its index keys: GSI1 lists the
// accounts of a user, GSI2 the members of an account by status.
func membershipItem(m domain.Membership) (item, error) {
	it, err := record(typeMembership, memberKey(m.AccountID, m.UserID), m, time.Time{})
	if err != nil {
		return nil, err
	}
	it[AttrGSI1PK] = str(userPK(m.UserID))
	it[AttrGSI1SK] = str(accountPK(m.AccountID))
	it[AttrGSI2PK] = str(memberStatusPK(m.AccountID, m.Status))
	it[AttrGSI2SK] = str(memberNameSK(m))
	return it, nil
}

func decodeMembership(m item) (domain.Membership, error) {
	var d domain.Membership
	if err := attributevalue.UnmarshalMap(m, &d); err != nil {
		return domain.Membership{}, fmt.Errorf("decode membership: %w", err)
	}
	return d, nil
}

// CreateAccount writes a new account, its owner's membership and the
// account.created event in one transaction.
func (s *Store) CreateAccount(ctx context.Context, a domain.Account, owner domain.Membership, ev domain.AuditEvent) error {
	a.Version, owner.Version = 1, 1
	tx := s.tx().putRecord(typeAccount, accountKey(a.ID), a, time.Time{}, notExists)
	s.putMembership(tx, owner, nil, notExists)
	s.audit(tx, ev)
	return tx.commit(ctx)
}

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

// GetMembership returns the user's membership of the account, or
// ErrNotFound. The read is strongly consistent.
func (s *Store) GetMembership(ctx context.Context, accountID, userID string) (domain.Membership, error) {
	m, err := s.get(ctx, memberKey(accountID, userID), true)
	if err != nil {
		return domain.Membership{}, err
	}
	return decodeMembership(m)
}

// MaxAccountsPerUser bounds the accounts listed for one user.
const MaxAccountsPerUser = 1000

// AccountsOfUser returns the user's memberships with their accounts' names,
// in account id order: one query on GSI1.
func (s *Store) AccountsOfUser(ctx context.Context, userID string) ([]domain.Membership, error) {
	p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		IndexName:              aws.String(IndexGSI1),
		KeyConditionExpression: aws.String("GSI1PK = :pk AND begins_with(GSI1SK, :acct)"),
		ExpressionAttributeValues: item{
			":pk":   str(userPK(userID)),
			":acct": str("ACCOUNT#"),
		},
	})
	var out []domain.Membership
	for p.HasMorePages() && len(out) < MaxAccountsPerUser {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("accounts of user: %w", err)
		}
		for _, m := range page.Items {
			d, err := decodeMembership(m)
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
	}
	return out, nil
}

// TouchActive records that the member used the account at t. It does not
// bump the version, so it never makes an admin's edit stale, and it is
// conditional on the membership still existing.
func (s *Store) TouchActive(ctx context.Context, accountID, userID string, t time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       memberKey(accountID, userID),
		UpdateExpression:          aws.String("SET lastActiveAt = :t"),
		ConditionExpression:       aws.String("attribute_exists(PK)"),
		ExpressionAttributeValues: item{":t": str(t.UTC().Format(time.RFC3339Nano))},
	})
	if err != nil && !isConditionFailed(err) {
		return fmt.Errorf("touch active: %w", err)
	}
	return nil
}

// RenameAccount renames the account a, as the caller read it, and writes
// the account.renamed event, in one transaction conditional on the stored
// version still being a.Version. It returns the renamed account, and a
// *ConflictError (errors.Is ErrConflict) when the account is gone or its
// version moved on.
func (s *Store) RenameAccount(ctx context.Context, a domain.Account, name string, ev domain.AuditEvent) (domain.Account, error) {
	tx := s.tx().update(accountKey(a.ID), "SET #name = :name, version = :next", cond{
		expr:   "version = :v",
		names:  map[string]string{"#name": "name"},
		values: item{":name": str(name), ":next": num(a.Version + 1), ":v": num(a.Version)},
	})
	s.audit(tx, ev)
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
