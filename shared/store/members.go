package store

// Membership storage, in one place: the item and its index keys (GSI1:
// accounts of a user; GSI2: members of an account by status in name
// order), reads, the search entries written with it, and the one
// read-modify-write (EditMember, RemoveMember) that owns the version check.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/domain"
)

// ErrBadPosition means a paging position does not belong to the partition
// being read (a forged or foreign cursor).
var ErrBadPosition = errors.New("store: bad paging position")

// versionIs is the condition of an optimistic-concurrency write: the item
// exists and still has version v.
func versionIs(v int64) cond {
	return cond{
		expr:   "attribute_exists(PK) AND version = :v",
		values: item{":v": num(v)},
	}
}

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

// putMembership adds a membership and its search entries to tx. prev, when
// not nil, is the membership as it was: its entries that no longer apply
// are deleted, and when the member's words or status changed every entry
// is rewritten, since each carries the member's whole word list and status.
// c is the membership write's condition.
func (s *Store) putMembership(tx *Tx, m domain.Membership, prev *domain.Membership, c cond) {
	it, err := membershipItem(m)
	if err != nil {
		tx.err = err
		return
	}
	tx.put(it, c)
	words := SearchKeys(m.FirstName, m.LastName, m.Email)
	if prev != nil {
		old := SearchKeys(prev.FirstName, prev.LastName, prev.Email)
		if slices.Equal(old, words) && prev.Status == m.Status {
			return
		}
		for _, w := range old {
			if prev.Status != m.Status || !slices.Contains(words, w) {
				tx.delete(searchKey(m.AccountID, prev.Status, w, m.UserID), cond{})
			}
		}
	}
	for _, w := range words {
		tx.put(searchItem(m, w), cond{})
	}
}

// putFormer adds to tx the record of a removed member: the membership as it
// was, with status removed, when and by whom. It is listed under status
// removed (GSI2) and grants nothing: it is not a membership, and it has no
// GSI1 entry, so it is no account of the user's.
func (s *Store) putFormer(tx *Tx, m domain.Membership, by domain.EventActor, at time.Time) {
	m.Status, m.RemovedAt, m.RemovedBy, m.ProjectCount, m.Projects = domain.StatusRemoved, at, &by, 0, nil
	it, err := record(typeFormer, formerKey(m.AccountID, m.UserID), m, time.Time{})
	if err != nil {
		tx.err = err
		return
	}
	it[AttrGSI2PK] = str(memberStatusPK(m.AccountID, domain.StatusRemoved))
	it[AttrGSI2SK] = str(memberNameSK(m))
	tx.put(it, cond{})
}

// joinMembership adds a new membership to tx, ending the record of a
// former member of the account that it may be (accepting a new
// invitation, or a transfer in, makes a fresh membership).
func (s *Store) joinMembership(tx *Tx, m domain.Membership) {
	s.putMembership(tx, m, nil, notExists)
	tx.delete(formerKey(m.AccountID, m.UserID), cond{})
}

// deleteMembership adds the removal of a membership and its search entries
// to tx, on condition c.
func (s *Store) deleteMembership(tx *Tx, m domain.Membership, c cond) {
	tx.delete(memberKey(m.AccountID, m.UserID), c)
	for _, w := range SearchKeys(m.FirstName, m.LastName, m.Email) {
		tx.delete(searchKey(m.AccountID, m.Status, w, m.UserID), cond{})
	}
}

// AddMember writes a new active membership with its search entries and, when
// ev is not nil, its audit event, in one transaction. It returns ErrConflict
// when the user is a member of the account already.
func (s *Store) AddMember(ctx context.Context, m domain.Membership, ev *domain.AuditEvent) error {
	m.Version = 1
	if m.Status == "" {
		m.Status = domain.StatusActive
	}
	if m.JoinedAt.IsZero() {
		m.JoinedAt = s.now()
	}
	tx := s.tx()
	s.joinMembership(tx, m)
	if ev != nil {
		s.audit(tx, *ev)
	}
	return tx.commit(ctx)
}

// SeedMembers writes memberships and their search entries with
// BatchWriteItem, 25 items a call, without audit events or conditions. It
// is for seeding benchmarks and large tests only; product code adds members
// with AddMember or by accepting invitations. It returns the SDK's error.
func (s *Store) SeedMembers(ctx context.Context, ms []domain.Membership) error {
	var reqs []types.WriteRequest
	for _, m := range ms {
		if m.Version == 0 {
			m.Version = 1
		}
		it, err := membershipItem(m)
		if err != nil {
			return err
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
		for _, w := range SearchKeys(m.FirstName, m.LastName, m.Email) {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: searchItem(m, w)}})
		}
	}
	return s.batchWrite(ctx, reqs)
}

// MemberPage is one page of members and the position after its last one
// ("" when there are no more).
type MemberPage struct {
	Items []domain.Membership
	// Next is the paging position to continue from, opaque to callers
	// beyond being passed back as after.
	Next string
}

// ListMembers returns up to limit members of the account with the status,
// in name order, after the position after ("" for the first page): one
// Query on GSI2. It returns ErrBadPosition when after is not a position in
// this account's member list.
func (s *Store) ListMembers(ctx context.Context, accountID string, status domain.MemberStatus, after string, limit int) (MemberPage, error) {
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		IndexName:              aws.String(IndexGSI2),
		KeyConditionExpression: aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: item{
			":pk": str(memberStatusPK(accountID, status)),
		},
		Limit: aws.Int32(int32(limit)),
	}
	if after != "" {
		i := strings.LastIndexByte(after, '#')
		if i < 0 || i == len(after)-1 {
			return MemberPage{}, ErrBadPosition
		}
		userID := after[i+1:]
		sk := memberSK(userID)
		if status == domain.StatusRemoved {
			sk = formerSK(userID)
		}
		in.ExclusiveStartKey = item{
			AttrPK:     str(accountPK(accountID)),
			AttrSK:     str(sk),
			AttrGSI2PK: str(memberStatusPK(accountID, status)),
			AttrGSI2SK: str(after),
		}
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return MemberPage{}, fmt.Errorf("list members: %w", err)
	}
	page := MemberPage{Items: make([]domain.Membership, 0, len(out.Items))}
	for _, it := range out.Items {
		m, err := decodeMembership(it)
		if err != nil {
			return MemberPage{}, err
		}
		page.Items = append(page.Items, m)
	}
	if out.LastEvaluatedKey != nil {
		if v, ok := out.LastEvaluatedKey[AttrGSI2SK].(*types.AttributeValueMemberS); ok {
			page.Next = v.Value
		}
	}
	return page, nil
}

// searchMaxQueries bounds the index queries of one search request, so
// that a search whose terms match many entries but few members together
// (three terms, or a fragment beside another term) cannot make one request
// read the whole account; the caller continues from Next.
const searchMaxQueries = 8

// SearchMembers returns up to limit members of the account with the status
// that match every term (folded with FoldSearch) by a prefix of a word or a
// fragment of a name (SearchKeys), after the position after. It queries the
// status's search entries with begins_with on searchPrefix (one term, or
// the pair of the two longest), reading no more entries than the page still
// needs while they all match, then, while they do not, twice as many each
// query; it reads only the memberships of matching entries (BatchGetItem),
// and counts each member once, at the first of its keys the prefix
// matches, so that pages never repeat a member. It fills the page whenever
// enough members match, within searchMaxQueries queries. It returns
// ErrBadPosition for a position outside the search, and the SDK's errors.
func (s *Store) SearchMembers(ctx context.Context, accountID string, status domain.MemberStatus, terms []string, after string, limit int) (MemberPage, error) {
	if len(terms) == 0 {
		return MemberPage{}, errors.New("store: search without terms")
	}
	prefix := searchPrefix(terms)
	if after != "" && !strings.HasPrefix(after, prefix) {
		return MemberPage{}, ErrBadPosition
	}
	page := MemberPage{Items: []domain.Membership{}}
	pos := after
	batch := limit
	for q := 0; q < searchMaxQueries; q++ {
		in := &dynamodb.QueryInput{
			TableName:              aws.String(s.table),
			KeyConditionExpression: aws.String("PK = :pk AND begins_with(SK, :w)"),
			ExpressionAttributeValues: item{
				":pk": str(searchPK(accountID, status)),
				":w":  str(prefix),
			},
			ProjectionExpression: aws.String("SK, userId, firstName, lastName, email"),
			Limit:                aws.Int32(int32(min(batch, 500))),
		}
		if pos != "" {
			in.ExclusiveStartKey = key(searchPK(accountID, status), pos)
		}
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return MemberPage{}, fmt.Errorf("search members: %w", err)
		}
		// An entry that is not its member's first match of the prefix, or
		// whose member lacks another term, is skipped without reading the
		// membership.
		type entry struct{ sk, word, userID string }
		var entries []entry
		for _, it := range out.Items {
			var named struct {
				UserID    string `dynamodbav:"userId"`
				FirstName string `dynamodbav:"firstName"`
				LastName  string `dynamodbav:"lastName"`
				Email     string `dynamodbav:"email"`
			}
			sk, _ := it[AttrSK].(*types.AttributeValueMemberS)
			if err := attributevalue.UnmarshalMap(it, &named); err != nil || sk == nil || named.UserID == "" {
				continue
			}
			words := SearchKeys(named.FirstName, named.LastName, named.Email)
			e := entry{sk: sk.Value, word: strings.TrimSuffix(sk.Value, "#"+named.UserID), userID: named.UserID}
			if firstMatch(words, prefix) == e.word && matchesAll(words, terms) {
				entries = append(entries, e)
			}
		}
		ids := make([]string, 0, len(entries))
		for _, e := range entries {
			ids = append(ids, e.userID)
		}
		members, err := s.MembershipsByID(ctx, accountID, ids)
		if err != nil {
			return MemberPage{}, err
		}
		for i, e := range entries {
			// The membership is read again: an entry written just before
			// its member changed may still be listed.
			m, ok := members[e.userID]
			if !ok || m.Status != status {
				continue
			}
			words := SearchKeys(m.FirstName, m.LastName, m.Email)
			if firstMatch(words, prefix) != e.word || !matchesAll(words, terms) {
				continue
			}
			page.Items = append(page.Items, m)
			if len(page.Items) == limit {
				if i+1 < len(entries) || out.LastEvaluatedKey != nil {
					page.Next = e.sk
				}
				return page, nil
			}
		}
		if out.LastEvaluatedKey == nil {
			return page, nil
		}
		sk, _ := out.LastEvaluatedKey[AttrSK].(*types.AttributeValueMemberS)
		if sk == nil {
			return page, nil
		}
		pos = sk.Value
		if need := limit - len(page.Items); len(entries) < len(out.Items) {
			batch = min(2*batch, 500)
		} else {
			batch = need
		}
	}
	page.Next = pos
	return page, nil
}

// firstMatch returns the first (smallest) of the sorted words that starts
// with prefix, or "".
func firstMatch(words []string, prefix string) string {
	for _, w := range words {
		if strings.HasPrefix(w, prefix) {
			return w
		}
	}
	return ""
}

// matchesAll reports whether every term is a prefix of one of the words.
func matchesAll(words, terms []string) bool {
	for _, t := range terms {
		if firstMatch(words, t) == "" {
			return false
		}
	}
	return true
}

// MembershipsByID reads the memberships of the users in the account with
// BatchGetItem (eventually consistent, 100 keys a call), skipping
// the ones that no longer exist.
func (s *Store) MembershipsByID(ctx context.Context, accountID string, ids []string) (map[string]domain.Membership, error) {
	keys := make([]item, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, memberKey(accountID, id))
	}
	items, err := s.batchGet(ctx, keys, read{})
	if err != nil {
		return nil, fmt.Errorf("read members: %w", err)
	}
	out := make(map[string]domain.Membership, len(items))
	for _, it := range items {
		m, err := decodeMembership(it)
		if err != nil {
			return nil, err
		}
		out[m.UserID] = m
	}
	return out, nil
}

// StaleError reports an optimistic-concurrency conflict: the version the
// caller edited is not the stored one, or another write came first.
// Current is the entity as it is stored now. It is ErrConflict.
type StaleError struct {
	Current any
}

func (e *StaleError) Error() string        { return "store: stale version" }
func (e *StaleError) Is(target error) bool { return target == ErrConflict }

// MemberChange computes the change of a membership from the current one:
// the next membership and the audit events of the change. No events means
// nothing changes. An error refuses the change and is returned as it is.
type MemberChange func(cur domain.Membership) (next domain.Membership, events []domain.AuditEvent, err error)

// EditMember is the one read-modify-write of a membership. It reads the
// membership strongly consistent and passes it to change (which holds the
// rules); then, if version is not the one read, it returns a *StaleError
// with the current membership; if change made no events, it returns the
// membership unchanged and writes nothing; else it writes next (its
// version one more, its search entries rewritten where the words changed)
// and the events in one transaction conditional on the version read, and
// returns next. When another write comes first, it returns a *StaleError
// with the membership as it is then. It also returns ErrNotFound and
// change's errors.
func (s *Store) EditMember(ctx context.Context, accountID, userID string, version int64, change MemberChange, h *ProjectHandover) (domain.Membership, error) {
	cur, err := s.GetMembership(ctx, accountID, userID)
	if err != nil {
		return domain.Membership{}, err
	}
	next, events, err := change(cur)
	if err != nil {
		return domain.Membership{}, err
	}
	if cur.Version != version {
		return domain.Membership{}, &StaleError{Current: cur}
	}
	if len(events) == 0 {
		return cur, nil
	}
	next.Version = cur.Version + 1
	tx := s.tx()
	s.putMembership(tx, next, &cur, versionIs(cur.Version))
	for _, ev := range events {
		s.audit(tx, ev)
	}
	if err := s.commitWith(ctx, tx, h); err != nil {
		return domain.Membership{}, s.staleMember(ctx, accountID, userID, err)
	}
	return next, nil
}

// RemoveMember deletes a membership and its search entries, keeps the
// record of the former member (ListMembers with StatusRemoved), with the event
// check returns (check holds the rules; an error refuses), in one
// transaction conditional on version, which must be the one read. The
// user's login, sessions and other memberships are not touched. It returns
// ErrNotFound, check's errors, or a *StaleError with the current membership.
func (s *Store) RemoveMember(ctx context.Context, accountID, userID string, version int64, check func(cur domain.Membership) (domain.AuditEvent, error), h *ProjectHandover) error {
	cur, err := s.GetMembership(ctx, accountID, userID)
	if err != nil {
		return err
	}
	ev, err := check(cur)
	if err != nil {
		return err
	}
	if cur.Version != version {
		return &StaleError{Current: cur}
	}
	tx := s.tx()
	s.deleteMembership(tx, cur, versionIs(cur.Version))
	s.putFormer(tx, cur, ev.Actor, ev.At)
	s.audit(tx, ev)
	if err := s.commitWith(ctx, tx, h); err != nil {
		return s.staleMember(ctx, accountID, userID, err)
	}
	return nil
}

// commitWith commits the member's transaction with the projects' handover
// h (nil for none). It returns ErrProjectTooLarge when it all would not fit
// one transaction, ErrNotActiveMember when the new owner moved on, and
// ErrConflict when a project or the member did.
func (s *Store) commitWith(ctx context.Context, tx *Tx, h *ProjectHandover) error {
	if h == nil {
		return tx.commit(ctx)
	}
	first := len(tx.items)
	newOwnerAt := s.handOver(tx, *h)
	if len(tx.items) > maxTransactItems {
		return ErrProjectTooLarge
	}
	err := tx.commit(ctx)
	var ce *ConflictError
	if errors.As(err, &ce) && ce.Index == first+newOwnerAt && newOwnerAt >= 0 {
		return ErrNotActiveMember
	}
	return err
}

// staleMember turns a lost conditional write into a *StaleError with the
// membership now stored (or ErrNotFound when it is gone); other errors are
// returned as they are.
func (s *Store) staleMember(ctx context.Context, accountID, userID string, err error) error {
	if !errors.Is(err, ErrConflict) {
		return err
	}
	cur, rerr := s.GetMembership(ctx, accountID, userID)
	if rerr != nil {
		return rerr
	}
	return &StaleError{Current: cur}
}

// HandOver is an ownership handover: the account, the owner's and the new
// owner's memberships as they are (read before) and as they become.
type HandOver struct {
	Account             domain.Account
	Owner, NewOwner     domain.Membership // as read
	OwnerAs, NewOwnerAs domain.Membership // as written (versions bumped)
	Event               domain.AuditEvent
}

// TransferOwnership writes a handover in one transaction: the account's
// new ownerId (conditional on its version), both memberships (each on its
// version) and the event. It returns a *ConflictError (ErrConflict) when
// any of them changed since it was read; nothing is written then.
func (s *Store) TransferOwnership(ctx context.Context, h HandOver) error {
	a := h.Account
	prevVersion := a.Version
	a.OwnerID = h.NewOwner.UserID
	a.Version++
	tx := s.tx().putRecord(typeAccount, accountKey(a.ID), a, time.Time{}, versionIs(prevVersion))
	s.putMembership(tx, h.OwnerAs, &h.Owner, versionIs(h.Owner.Version))
	s.putMembership(tx, h.NewOwnerAs, &h.NewOwner, versionIs(h.NewOwner.Version))
	s.audit(tx, h.Event)
	return tx.commit(ctx)
}

// SyncMemberNames copies the user's names onto each of their memberships
// that still carries other ones, so that member lists and searches show a
// name the user changed. Each membership changes in its own transaction
// with its search entries and the member.profile_changed event of actor at
// at. A membership edited at the same moment is read again and
// retried once. It returns the errors of the memberships it could not
// update, joined, after trying them all.
func (s *Store) SyncMemberNames(ctx context.Context, u domain.User, actor domain.Actor, at time.Time) error {
	ms, err := s.AccountsOfUser(ctx, u.ID)
	if err != nil {
		return err
	}
	var errs []error
	for _, m := range ms {
		for attempt := 0; attempt < 2; attempt++ {
			if m.FirstName == u.FirstName && m.LastName == u.LastName {
				break
			}
			next := m
			next.FirstName, next.LastName, next.Version = u.FirstName, u.LastName, m.Version+1
			e := domain.ProfileChanged(actor, m, u.FirstName, u.LastName, at)
			err := s.replaceMember(ctx, m, next, []domain.AuditEvent{e})
			if err == nil {
				break
			}
			if !errors.Is(err, ErrConflict) || attempt == 1 {
				errs = append(errs, fmt.Errorf("sync names of membership in %s: %w", m.AccountID, err))
				break
			}
			if m, err = s.GetMembership(ctx, m.AccountID, m.UserID); err != nil {
				if !errors.Is(err, ErrNotFound) {
					errs = append(errs, err)
				}
				break
			}
		}
	}
	return errors.Join(errs...)
}

// replaceMember writes next in place of prev with the events, conditional
// on prev's version (ErrConflict otherwise).
func (s *Store) replaceMember(ctx context.Context, prev, next domain.Membership, events []domain.AuditEvent) error {
	tx := s.tx()
	s.putMembership(tx, next, &prev, versionIs(prev.Version))
	for _, ev := range events {
		s.audit(tx, ev)
	}
	return tx.commit(ctx)
}
