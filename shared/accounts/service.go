// Package accounts is the service of accounts: creating one, listing a
// user's, renaming one. Handlers (shared/accounthttp) decode and encode;
// the rules and the writes are here.
package accounts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
)

// Store is what the service reads and writes.
type Store interface {
	GetUser(ctx context.Context, userID string) (domain.User, error)
	CreateAccount(ctx context.Context, a domain.Account, owner domain.Membership, ev domain.AuditEvent, perUser store.Limit) error
	AccountsOfUser(ctx context.Context, userID string) ([]domain.Membership, error)
	GetAccount(ctx context.Context, accountID string) (domain.Account, error)
	RenameAccount(ctx context.Context, a domain.Account, name string, ev domain.AuditEvent) (domain.Account, error)
}

// Service applies the account rules over a store.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the service over s.
func NewService(s Store) *Service { return &Service{store: s, now: time.Now} }

// Summary is an account as its member sees it in the list.
type Summary struct {
	ID     string              `json:"id"`
	Name   string              `json:"name"`
	Role   domain.Role         `json:"role"`
	Status domain.MemberStatus `json:"status,omitempty"`
}

// CreatePerUser bounds the accounts one person creates: each new account
// would otherwise be a fresh place to invite from.
var CreatePerUser = store.Limit{Max: 10, Window: 24 * time.Hour}

// Create makes an account owned by the actor (a signed-in, verified user):
// the account, the owner's membership and the account.created event in one
// transaction, within CreatePerUser. It returns invalid invalid_name,
// too_many rate_limited (Retry-After) past the cap, or the store's errors.
func (s *Service) Create(ctx context.Context, actor domain.Actor, name string) (Summary, error) {
	name, err := domain.NormalizeName(name, "name", false)
	if err != nil {
		return Summary{}, err
	}
	u, err := s.store.GetUser(ctx, actor.UserID)
	if err != nil {
		return Summary{}, err
	}
	now := s.now().UTC()
	a := domain.Account{ID: store.NewID(), Name: name, OwnerID: u.ID, CreatedAt: now}
	owner := domain.Membership{
		AccountID: a.ID, AccountName: name, UserID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive,
		JoinedAt: now, LastActiveAt: now, LastLoginAt: u.LastLoginAt,
	}
	err = s.store.CreateAccount(ctx, a, owner, domain.AccountCreated(actor, a.ID, name, now), CreatePerUser)
	var rl *store.RateLimitedError
	if errors.As(err, &rl) {
		e := domain.CodeRateLimited.Msg(fmt.Sprintf("You have created %d accounts in the last day, as many as allowed. Try again later.", CreatePerUser.Max))
		e.RetryAfter = int((rl.RetryAfter + time.Second - 1) / time.Second)
		return Summary{}, e
	}
	if err != nil {
		return Summary{}, err
	}
	return Summary{ID: a.ID, Name: a.Name, Role: domain.RoleOwner}, nil
}

// List returns the accounts the user belongs to, with the role and status
// of their membership in each, by name: one GSI1 query. The memberships
// carry their account's name, which the names-sync function updates moments
// after a rename.
func (s *Service) List(ctx context.Context, userID string) ([]Summary, error) {
	ms, err := s.store.AccountsOfUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	items := make([]Summary, 0, len(ms))
	for _, m := range ms {
		items = append(items, Summary{ID: m.AccountID, Name: m.AccountName, Role: m.Role, Status: m.Status})
	}
	slices.SortFunc(items, func(a, b Summary) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return items, nil
}

// Rename is the body of a rename.
type Rename struct {
	Name    string `json:"name"`
	Version *int64 `json:"version"`
}

// Get returns the account the actor is an active member of (the
// authenticator has checked that). It returns not_found account_not_found
// when it is gone, or the store's errors.
func (s *Service) Get(ctx context.Context, actor domain.Actor, accountID string) (domain.Account, error) {
	a, err := s.store.GetAccount(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return domain.Account{}, domain.CodeAccountNotFound.Msg("This account does not exist or you are not a member of it.")
	}
	return a, err
}

// Rename renames the account: the owner, or a member holding users.manage,
// may. The rename and its account.renamed event are one transaction; the
// same name again writes nothing. It returns invalid invalid_name or
// missing_version, forbidden missing_permission, not_found, or
// stale_version with the current account.
func (s *Service) Rename(ctx context.Context, actor domain.Actor, accountID string, in Rename) (domain.Account, error) {
	name, err := domain.NormalizeName(in.Name, "name", false)
	if err != nil {
		return domain.Account{}, err
	}
	if in.Version == nil {
		return domain.Account{}, domain.CodeMissingVersion.Field("version", "Send the version of the account you edited.")
	}
	if !actor.Can(domain.PermUsersManage) {
		return domain.Account{}, domain.CodeMissingPermission.Msg("You need the Account administration: manage permission to rename the account.")
	}
	current, err := s.store.GetAccount(ctx, accountID)
	if err != nil {
		return domain.Account{}, err
	}
	if current.Version != *in.Version {
		return domain.Account{}, stale(current)
	}
	if current.Name == name {
		return current, nil
	}
	a, err := s.store.RenameAccount(ctx, current, name, domain.AccountRenamed(actor, accountID, current.Name, name, s.now().UTC()))
	if errors.Is(err, store.ErrConflict) {
		// Renamed by someone else since it was read just now.
		latest, gerr := s.store.GetAccount(ctx, accountID)
		if gerr != nil {
			return domain.Account{}, gerr
		}
		return domain.Account{}, stale(latest)
	}
	return a, err
}

// stale is the 409 of an edit made on an old version, with the account as
// it is now.
func stale(current domain.Account) error {
	e := domain.CodeStaleVersion.Msg("Someone else changed this account; reload and try again.")
	e.Current = current
	return e
}

// Creation is the body of creating an account.
type Creation struct {
	Name string `json:"name"`
}

// SummaryList is the answer of listing the user's accounts: all of them,
// unpaged (a person belongs to few accounts).
type SummaryList struct {
	Items []Summary `json:"items"`
}
