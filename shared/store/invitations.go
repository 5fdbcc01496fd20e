package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/domain"
)

// Item types of invitations.
const (
	typeInvitation  = "invitation"
	typeInviteGuard = "inviteGuard"
	typeInviteToken = "inviteToken"
	// typeInviteExpiry is a pending invitation's expiry marker (see
	// inviteExpiry).
	typeInviteExpiry = "invitationExpiry"
	typeIdempotency  = "idempotency"
)

// InvitationRetention is how long an invitation and its token outlive their
// expiry before DynamoDB TTL deletes them. Expiry itself is enforced on read
// (InviteExpiresAt); the grace keeps an expired invitation resendable from
// the Pending tab, and keeps its link answering "expired, ask X" rather than
// "unknown", for a predictable time instead of TTL's arbitrary delay. The
// invitation.expired event does not wait for it: the invitation's expiry
// marker (inviteExpiry) has the expiry itself as its TTL.
const InvitationRetention = 30 * 24 * time.Hour

// IdempotencyTTL is how long a create's Idempotency-Key is remembered.
const IdempotencyTTL = 24 * time.Hour

// Errors of the invitation writes.
var (
	// ErrInvitationPending means the email has a pending, unexpired
	// invitation to the account.
	ErrInvitationPending = errors.New("store: invitation pending for this email")
	// ErrAlreadyMember means the email's user is a member of the account.
	ErrAlreadyMember = errors.New("store: already a member")
	// ErrIdempotentReplay means the idempotency key was used already.
	ErrIdempotentReplay = errors.New("store: idempotency key used")
	// ErrInvalidCursor means a list cursor is malformed or not this list's.
	ErrInvalidCursor = errors.New("store: invalid cursor")
)

// RateLimitedError is a write refused by a rate limit inside its
// transaction. RetryAfter says when the window ends.
type RateLimitedError struct{ RetryAfter time.Duration }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("store: rate limited for %s", e.RetryAfter)
}

func inviteSK(id string) string { return "INVITE#" + id }
func inviteKey(accountID, id string) item {
	return key(accountPK(accountID), inviteSK(id))
}
func inviteGuardKey(accountID, email string) item {
	return key(accountPK(accountID), "INVITEMAIL#"+email)
}
func inviteTokenKey(hash string) item { return key("INVTOKEN#"+hash, "INVTOKEN") }
func inviteExpiryKey(accountID, id string) item {
	return key(accountPK(accountID), "INVEXPIRY#"+id)
}
func idempotencyKey(accountID, userID, k string) item {
	return key("IDEM#"+accountID+"#"+userID+"#"+k, "IDEM")
}
func pendingInvitesPK(accountID string) string { return "ACCOUNT#" + accountID + "#INVITES#pending" }

// inviteGuard makes one pending invitation per email and account.
// Until (epoch seconds) is when that invitation expires: past it, the slot
// may be taken by a new invitation. The guard lives (TTL) as long as the
// invitation item.
type inviteGuard struct {
	InviteID string `dynamodbav:"inviteId"`
	Until    int64  `dynamodbav:"until"`
}

// inviteToken finds an invitation from its link's token hash.
type inviteToken struct {
	AccountID string `dynamodbav:"accountId"`
	InviteID  string `dynamodbav:"inviteId"`
	InviterID string `dynamodbav:"inviterId"`
}

// inviteExpiry is the expiry marker of a pending invitation: a small item
// whose TTL (expiresAt) is the invitation's expiry itself, where the
// invitation item's TTL is InvitationRetention later. DynamoDB TTL deletes
// it once the invitation has expired, and the stream function writes the
// invitation.expired event from its old image (RecordInvitationExpired), so
// that the history shows an expiry soon after it happens rather than a
// month late. It exists only while the invitation is pending: created with
// the invitation, replaced by a resend (new expiry) or an edit (new names),
// deleted by an accept, a revoke or the replacement of the expired
// invitation, each in the same transaction. It carries what the event
// needs. It has no index keys, and its sort key (INVEXPIRY#) does not begin
// with INVITE, so no invitation query ever returns it.
type inviteExpiry struct {
	AccountID string    `dynamodbav:"accountId"`
	InviteID  string    `dynamodbav:"inviteId"`
	Email     string    `dynamodbav:"email"`
	FirstName string    `dynamodbav:"firstName"`
	LastName  string    `dynamodbav:"lastName"`
	ExpiresAt time.Time `dynamodbav:"inviteExpiresAt"`
}

// expiryMarker is inv's expiry marker item. Its TTL is the expiry rounded
// up to the second (TTL counts whole seconds), so that it is never deleted
// while the link still works.
func expiryMarker(inv domain.Invitation) (item, error) {
	ttl := inv.ExpiresAt.Truncate(time.Second)
	if ttl.Before(inv.ExpiresAt) {
		ttl = ttl.Add(time.Second)
	}
	return record(typeInviteExpiry, inviteExpiryKey(inv.AccountID, inv.ID), inviteExpiry{
		AccountID: inv.AccountID, InviteID: inv.ID, Email: inv.Email, FirstName: inv.FirstName, LastName: inv.LastName, ExpiresAt: inv.ExpiresAt,
	}, ttl)
}

// expiredEvent is the invitation.expired event of an invitation that
// expired at expiresAt: a system event dated at the expiry, with an id
// derived from the invitation and the expiry, so that every path that
// writes it (the stream function, the replacement of the expired
// invitation, its resend) writes the same item, once.
func expiredEvent(accountID, id, email, first, last string, expiresAt time.Time) domain.AuditEvent {
	return domain.InvitationExpired(ExpiredEventID(id, expiresAt), domain.Invitation{
		ID: id, AccountID: accountID, Email: email, FirstName: first, LastName: last, ExpiresAt: expiresAt})
}

// auditExpiredOnce adds inv's invitation.expired event to the transaction
// unless it is written already (by the stream function, when TTL deleted
// the expiry marker first): one strongly consistent GetItem. Should the
// stream function write it between that read and the commit, the event's
// conditional put fails the transaction (ErrConflict, to be retried), so
// the event is written exactly once.
func (s *Store) auditExpiredOnce(ctx context.Context, tx *Tx, inv domain.Invitation) {
	ev := expiredEvent(inv.AccountID, inv.ID, inv.Email, inv.FirstName, inv.LastName, inv.ExpiresAt)
	m, err := s.invRead(ctx, key(historyPK(inv.AccountID), eventSK(ev)))
	if err != nil {
		tx.err = errors.Join(tx.err, err)
		return
	}
	if m == nil {
		s.audit(tx, ev)
	}
}

// idempotencyRecord remembers a create's Idempotency-Key: the invitation
// it made, the request's fingerprint, and when. It is written in the
// create's own transaction, so it never exists without its result.
type idempotencyRecord struct {
	InviteID    string `dynamodbav:"inviteId"`
	RequestHash string `dynamodbav:"requestHash"`
	At          int64  `dynamodbav:"at"`
}

// invitationItem is the invitation with its TTL and, while pending, its
// place in the account's Pending list (GSI2, oldest first).
func invitationItem(inv domain.Invitation) (item, error) {
	it, err := record(typeInvitation, inviteKey(inv.AccountID, inv.ID), inv, inv.ExpiresAt.Add(InvitationRetention))
	if err != nil {
		return nil, err
	}
	if inv.State == domain.InvitePending {
		it[AttrGSI2PK] = str(pendingInvitesPK(inv.AccountID))
		it[AttrGSI2SK] = str(timeKey(inv.CreatedAt) + "#" + inv.ID)
	}
	return it, nil
}

func decodeInvitation(m item) (domain.Invitation, error) {
	var inv domain.Invitation
	if err := attributevalue.UnmarshalMap(m, &inv); err != nil {
		return domain.Invitation{}, fmt.Errorf("decode invitation: %w", err)
	}
	return inv, nil
}

// update adds an UpdateItem to the transaction; c's names and values serve
// the update expression too.
func (t *Tx) invUpdate(k item, expr string, c cond) *Tx {
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

// hitInTx counts one hit of the named limit inside the transaction, so that
// a refused or failed change counts nothing. It returns the write's index
// and the window's end.
// InviterLimit names the hourly cap on the invitations one person sends,
// across all their accounts (a new account does not reset it).
func InviterLimit(userID string) string { return "invites#user#" + userID }

// hit adds one hit of the named fixed-window limit to the transaction,
// conditional on the limit not being reached; it returns the write's
// position (for the refusal) and the window's end.
func (t *Tx) hit(name string, l Limit, now time.Time) (int, time.Time) {
	bucket, end := l.bucket(name, now)
	t.invUpdate(rateKey(bucket), "ADD hits :one SET #exp = :exp, #type = :type", cond{
		expr:   "attribute_not_exists(hits) OR hits < :max",
		names:  map[string]string{"#exp": AttrExpiresAt, "#type": AttrType},
		values: item{":one": num(1), ":max": num(int64(l.Max)), ":exp": num(end.Add(time.Minute).Unix()), ":type": str(typeRate)},
	})
	return len(t.items) - 1, end
}

// invPendingAt is the condition that an invitation is still pending at the
// version it was read.
func invPendingAt(version int64) cond {
	return cond{
		expr:   "#state = :pending AND version = :v",
		names:  map[string]string{"#state": "state"},
		values: item{":pending": str(domain.InvitePending), ":v": num(version)},
	}
}

// invRead reads one item whether or not it has expired; nil when missing.
func (s *Store) invRead(ctx context.Context, k item) (item, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("get item: %w", err)
	}
	return out.Item, nil
}

// invBatchGet reads up to 100 items in one strongly consistent BatchGetItem,
// retrying unprocessed keys. Missing items are absent from the result,
// which is keyed by PK+"|"+SK.
func (s *Store) invBatchGet(ctx context.Context, keys ...item) (map[string]item, error) {
	items, err := s.batchGet(ctx, keys, read{consistent: true})
	if err != nil {
		return nil, err
	}
	got := make(map[string]item, len(items))
	for _, m := range items {
		got[invKeyString(m)] = m
	}
	return got, nil
}

func invKeyString(m item) string {
	pk, _ := m[AttrPK].(*types.AttributeValueMemberS)
	sk, _ := m[AttrSK].(*types.AttributeValueMemberS)
	if pk == nil || sk == nil {
		return ""
	}
	return pk.Value + "|" + sk.Value
}

// CreateReads is what creating an invitation needs to know first, read in
// one BatchGetItem.
type CreateReads struct {
	Account domain.Account
	// MemberUserID is the user id of the email's login, if it has one.
	MemberUserID string
	// Guard is the invitation id that holds the email's pending slot, with
	// whether it has expired (an expired one may be replaced).
	GuardInviteID string
	GuardExpired  bool
	// Replayed is the invitation a used idempotency key made, with the
	// hash of that first request, whether that request finished, and when
	// it started.
	ReplayedInviteID    string
	ReplayedRequestHash string
}

// ReadForCreate reads the account, the email's login, the email's pending
// slot in the account and, when idemKey is not empty, the actor's
// idempotency key, in one round trip. It returns ErrNotFound when the
// account does not exist.
func (s *Store) ReadForCreate(ctx context.Context, accountID, email, actorID, idemKey string) (CreateReads, error) {
	keys := []item{accountKey(accountID), emailKey(email), inviteGuardKey(accountID, email)}
	if idemKey != "" {
		keys = append(keys, idempotencyKey(accountID, actorID, idemKey))
	}
	got, err := s.invBatchGet(ctx, keys...)
	if err != nil {
		return CreateReads{}, err
	}
	now := s.now()
	var r CreateReads
	m, ok := got[invKeyString(accountKey(accountID))]
	if !ok {
		return CreateReads{}, ErrNotFound
	}
	if err := attributevalue.UnmarshalMap(m, &r.Account); err != nil {
		return CreateReads{}, fmt.Errorf("decode account: %w", err)
	}
	if m, ok := got[invKeyString(emailKey(email))]; ok {
		var rec emailRecord
		if err := attributevalue.UnmarshalMap(m, &rec); err != nil {
			return CreateReads{}, fmt.Errorf("decode email: %w", err)
		}
		r.MemberUserID = rec.UserID
	}
	if m, ok := got[invKeyString(inviteGuardKey(accountID, email))]; ok {
		var g inviteGuard
		if err := attributevalue.UnmarshalMap(m, &g); err != nil {
			return CreateReads{}, fmt.Errorf("decode guard: %w", err)
		}
		r.GuardInviteID, r.GuardExpired = g.InviteID, g.Until <= now.Unix()
	}
	if idemKey != "" {
		if m, ok := got[invKeyString(idempotencyKey(accountID, actorID, idemKey))]; ok && !expired(m, now) {
			var rec idempotencyRecord
			if err := attributevalue.UnmarshalMap(m, &rec); err != nil {
				return CreateReads{}, fmt.Errorf("decode idempotency key: %w", err)
			}
			r.ReplayedInviteID, r.ReplayedRequestHash = rec.InviteID, rec.RequestHash
		}
	}
	return r, nil
}

// NewInvitation is one create: the invitation (pending, without a link
// until the sender mails one) and what the transaction must also hold.
type NewInvitation struct {
	Invitation domain.Invitation
	// MemberUserID, when set, is the email's login: the create fails with
	// ErrAlreadyMember if it is a member of the account.
	MemberUserID string
	// ReplaceID, when set, is the expired pending invitation whose slot the
	// new one takes: it is marked expired and its link deleted.
	ReplaceID string
	// IdempotencyKey and RequestHash remember the create for retries.
	IdempotencyKey string
	RequestHash    string
	// Limit caps invitation emails per account (Max 0: no cap).
	Limit Limit
	Event domain.AuditEvent
	// Mail is the invitation's email (its MailID), queued with it.
	Mail Mail
}

// CreateInvitation writes the invitation, its email's pending slot, its
// token, its expiry marker, its idempotency key, one hit of the account's sending limit and
// the audit event in one transaction. It returns ErrInvitationPending when
// the email has a live pending invitation, ErrAlreadyMember when the
// email's user is a member, ErrIdempotentReplay when the key was used
// meanwhile, *RateLimitedError past the limit, and ErrConflict when
// another write raced it.
func (s *Store) CreateInvitation(ctx context.Context, n NewInvitation) error {
	now := s.now()
	inv := n.Invitation
	inv.Version = 1
	it, err := invitationItem(inv)
	if err != nil {
		return err
	}
	reasons := map[int]error{}
	tx := s.tx().put(it, notExists)
	reasons[len(tx.items)] = ErrInvitationPending
	tx.putRecord(typeInviteGuard, inviteGuardKey(inv.AccountID, inv.Email), inviteGuard{InviteID: inv.ID, Until: inv.ExpiresAt.Unix()},
		inv.ExpiresAt.Add(InvitationRetention), cond{
			expr:   "attribute_not_exists(PK) OR #until <= :now",
			names:  map[string]string{"#until": "until"},
			values: item{":now": num(now.Unix())},
		})
	marker, err := expiryMarker(inv)
	if err != nil {
		return err
	}
	tx.put(marker, cond{})
	if n.MemberUserID != "" {
		reasons[len(tx.items)] = ErrAlreadyMember
		tx.check(memberKey(inv.AccountID, n.MemberUserID), notExists)
	}
	if n.ReplaceID != "" {
		s.expireInTx(ctx, tx, inv.AccountID, n.ReplaceID, now)
	}
	if n.IdempotencyKey != "" {
		reasons[len(tx.items)] = ErrIdempotentReplay
		tx.putRecord(typeIdempotency, idempotencyKey(inv.AccountID, inv.InviterID, n.IdempotencyKey),
			idempotencyRecord{InviteID: inv.ID, RequestHash: n.RequestHash, At: now.Unix()}, now.Add(IdempotencyTTL), notExists)
	}
	if n.Limit.Max > 0 {
		i, end := tx.hit(InviterLimit(inv.InviterID), n.Limit, now)
		reasons[i] = &RateLimitedError{RetryAfter: retryAfter(end, now)}
	}
	if n.Mail.ID != "" {
		tx.queueMail(n.Mail)
	}
	s.audit(tx, n.Event)
	return mapConflict(tx.commit(ctx), reasons)
}

// expireInTx marks an expired pending invitation expired (out of the
// Pending list) and deletes its link and its expiry marker, with the
// system invitation.expired event unless the stream function wrote it
// already (auditExpiredOnce). The invitation is read first, to find its
// token.
func (s *Store) expireInTx(ctx context.Context, tx *Tx, accountID, id string, now time.Time) {
	m, err := s.invRead(ctx, inviteKey(accountID, id))
	if err != nil {
		tx.err = errors.Join(tx.err, err)
		return
	}
	if m == nil {
		return
	}
	old, err := decodeInvitation(m)
	if err != nil {
		tx.err = errors.Join(tx.err, err)
		return
	}
	if old.State != domain.InvitePending {
		return
	}
	c := invPendingAt(old.Version)
	c.values[":expired"] = str(domain.InviteExpired)
	c.values[":now"] = str(now.UTC().Format(time.RFC3339Nano))
	tx.invUpdate(inviteKey(accountID, id), "SET #state = :expired, closedAt = :now, version = version + :one REMOVE GSI2PK, GSI2SK", invWithOne(c))
	tx.delete(inviteTokenKey(old.TokenHash), cond{}).
		delete(inviteExpiryKey(accountID, id), cond{})
	// The same event, id and time the stream function writes when TTL
	// deletes the expiry marker (RecordInvitationExpired).
	s.auditExpiredOnce(ctx, tx, old)
}

func invWithOne(c cond) cond {
	c.values[":one"] = num(1)
	return c
}

// mapConflict turns a transaction's failed write into the error its
// position stands for.
func mapConflict(err error, reasons map[int]error) error {
	var ce *ConflictError
	if errors.As(err, &ce) {
		if r, ok := reasons[ce.Index]; ok {
			return r
		}
		return ErrConflict
	}
	return err
}

// GetInvitation returns the account's invitation in whatever state, expired
// or not (the caller judges expiry with domain.Invitation.Expired), or ErrNotFound.
// The read is strongly consistent.
func (s *Store) GetInvitation(ctx context.Context, accountID, id string) (domain.Invitation, error) {
	m, err := s.invRead(ctx, inviteKey(accountID, id))
	if err != nil {
		return domain.Invitation{}, err
	}
	if m == nil {
		return domain.Invitation{}, ErrNotFound
	}
	return decodeInvitation(m)
}

// InvitationByToken returns the invitation whose link has the token hash:
// two strongly consistent reads (the token, then the invitation). It
// returns ErrNotFound when the token is unknown or no longer the
// invitation's (revoked, used, replaced by a resend). An expired invitation
// is returned as is.
func (s *Store) InvitationByToken(ctx context.Context, hash string) (domain.Invitation, error) {
	m, err := s.invRead(ctx, inviteTokenKey(hash))
	if err != nil {
		return domain.Invitation{}, err
	}
	if m == nil {
		return domain.Invitation{}, ErrNotFound
	}
	var t inviteToken
	if err := attributevalue.UnmarshalMap(m, &t); err != nil {
		return domain.Invitation{}, fmt.Errorf("decode invitation token: %w", err)
	}
	inv, err := s.GetInvitation(ctx, t.AccountID, t.InviteID)
	if err != nil {
		return domain.Invitation{}, err
	}
	if inv.TokenHash != hash {
		return domain.Invitation{}, ErrNotFound
	}
	return inv, nil
}

// AcceptReads is what accepting an invitation reads in one round trip.
type AcceptReads struct {
	Invitation domain.Invitation
	// Inviter is the inviter's current membership; InviterFound false
	// when the inviter was removed.
	Inviter      domain.Membership
	InviterFound bool
	User         domain.User
}

// ReadForAccept reads the invitation a token hash stands for, its
// inviter's current membership and the accepting user: the token, then one
// BatchGetItem. It returns ErrNotFound when the token, the invitation or the
// user is unknown or the token is no longer the invitation's.
func (s *Store) ReadForAccept(ctx context.Context, hash, userID string) (AcceptReads, error) {
	m, err := s.invRead(ctx, inviteTokenKey(hash))
	if err != nil {
		return AcceptReads{}, err
	}
	if m == nil {
		return AcceptReads{}, ErrNotFound
	}
	var t inviteToken
	if err := attributevalue.UnmarshalMap(m, &t); err != nil {
		return AcceptReads{}, fmt.Errorf("decode invitation token: %w", err)
	}
	ik, mk, uk := inviteKey(t.AccountID, t.InviteID), memberKey(t.AccountID, t.InviterID), userKey(userID)
	got, err := s.invBatchGet(ctx, ik, mk, uk)
	if err != nil {
		return AcceptReads{}, err
	}
	var r AcceptReads
	im, ok := got[invKeyString(ik)]
	um, uok := got[invKeyString(uk)]
	if !ok || !uok {
		return AcceptReads{}, ErrNotFound
	}
	if r.Invitation, err = decodeInvitation(im); err != nil {
		return AcceptReads{}, err
	}
	if r.Invitation.TokenHash != hash {
		return AcceptReads{}, ErrNotFound
	}
	if err := attributevalue.UnmarshalMap(um, &r.User); err != nil {
		return AcceptReads{}, fmt.Errorf("decode user: %w", err)
	}
	if mm, ok := got[invKeyString(mk)]; ok {
		if r.Inviter, err = decodeMembership(mm); err != nil {
			return AcceptReads{}, err
		}
		r.InviterFound = true
	}
	return r, nil
}

// AcceptInvitation makes the membership, marks the invitation accepted
// (it must still be pending at the version read), frees the email's slot,
// deletes the link and the expiry marker and writes the event, in one
// transaction. It returns
// ErrAlreadyMember when the user is a member already (two accepts racing:
// exactly one wins), ErrNotFound when the invitation is no longer pending at
// that version, and ErrConflict on a lost race.
func (s *Store) AcceptInvitation(ctx context.Context, inv domain.Invitation, m domain.Membership, ev domain.AuditEvent) error {
	m.Version = 1
	now := s.now()
	c := invPendingAt(inv.Version)
	c.values[":accepted"] = str(domain.InviteAccepted)
	c.values[":by"] = str(m.UserID)
	c.values[":now"] = str(now.UTC().Format(time.RFC3339Nano))
	tx := s.tx().invUpdate(inviteKey(inv.AccountID, inv.ID),
		"SET #state = :accepted, acceptedBy = :by, closedAt = :now, version = version + :one REMOVE GSI2PK, GSI2SK", invWithOne(c))
	s.joinMembership(tx, m)
	tx.delete(inviteGuardKey(inv.AccountID, inv.Email), invGuardOf(inv.ID)).
		delete(inviteTokenKey(inv.TokenHash), cond{}).
		delete(inviteExpiryKey(inv.AccountID, inv.ID), cond{})
	s.audit(tx, ev)
	return mapConflict(tx.commit(ctx), map[int]error{0: ErrNotFound, 1: ErrAlreadyMember})
}

// invGuardOf is the condition that the email's slot, if any, is this invitation's.
func invGuardOf(id string) cond {
	return cond{expr: "attribute_not_exists(PK) OR inviteId = :id", values: item{":id": str(id)}}
}

// EditInvitation writes a pending invitation's new names, role and
// permissions, and its expiry marker's names, with the event, if it is still pending at inv.Version. It
// returns the invitation as written, or ErrConflict when it moved on.
func (s *Store) EditInvitation(ctx context.Context, inv domain.Invitation, ev domain.AuditEvent) (domain.Invitation, error) {
	perms, err := attributevalue.Marshal(inv.Permissions)
	if err != nil {
		return domain.Invitation{}, fmt.Errorf("marshal permissions: %w", err)
	}
	c := invPendingAt(inv.Version)
	c.names["#role"] = "role"
	c.names["#perms"] = "permissions"
	c.values[":role"] = str(string(inv.Role))
	c.values[":perms"] = perms
	c.values[":first"] = str(inv.FirstName)
	c.values[":last"] = str(inv.LastName)
	tx := s.tx().invUpdate(inviteKey(inv.AccountID, inv.ID),
		"SET #role = :role, #perms = :perms, firstName = :first, lastName = :last, version = version + :one", invWithOne(c))
	// The expiry marker carries the names: rewritten whole (an invitation
	// that predates markers gets one).
	marker, err := expiryMarker(inv)
	if err != nil {
		return domain.Invitation{}, err
	}
	tx.put(marker, cond{})
	s.audit(tx, ev)
	if err := mapConflict(tx.commit(ctx), map[int]error{0: ErrConflict}); err != nil {
		return domain.Invitation{}, err
	}
	inv.Version++
	return inv, nil
}

// RevokeInvitation marks a pending invitation revoked, frees the email's
// slot, deletes the link (which stops working at once) and the expiry
// marker, with the event.
// It returns ErrConflict when the invitation is no longer pending at
// inv.Version.
func (s *Store) RevokeInvitation(ctx context.Context, inv domain.Invitation, ev domain.AuditEvent) error {
	c := invPendingAt(inv.Version)
	c.values[":revoked"] = str(domain.InviteRevoked)
	c.values[":now"] = str(s.now().UTC().Format(time.RFC3339Nano))
	tx := s.tx().
		invUpdate(inviteKey(inv.AccountID, inv.ID), "SET #state = :revoked, closedAt = :now, version = version + :one REMOVE GSI2PK, GSI2SK", invWithOne(c)).
		delete(inviteGuardKey(inv.AccountID, inv.Email), invGuardOf(inv.ID)).
		delete(inviteTokenKey(inv.TokenHash), cond{}).
		delete(inviteExpiryKey(inv.AccountID, inv.ID), cond{})
	s.audit(tx, ev)
	return mapConflict(tx.commit(ctx), map[int]error{0: ErrConflict})
}

// ResendInvitation gives a pending invitation (expired or not) a new mail
// (m, queued) and expiry, and makes inv's inviter (the actor resending, who
// vouches for it now) its inviter: the old link is deleted (the sender
// issues the new one with the mail), the email's
// slot renewed, the expiry marker moved to the new expiry, one hit of the
// sending limit counted and the event written (after the expired event when
// the invitation had expired and the stream function has not written it), in
// one transaction. It returns the invitation as written; ErrConflict
// when it moved on from inv.Version, ErrInvitationPending when another
// invitation took the email's slot, *RateLimitedError past the limit.
func (s *Store) ResendInvitation(ctx context.Context, inv domain.Invitation, m Mail, newExpiry time.Time, l Limit, ev domain.AuditEvent) (domain.Invitation, error) {
	now := s.now()
	c := invPendingAt(inv.Version)
	c.names["#exp"] = AttrExpiresAt
	c.values[":mail"] = str(m.ID)
	c.values[":nohash"] = str("")
	c.values[":invExp"] = str(newExpiry.UTC().Format(time.RFC3339Nano))
	c.values[":ttl"] = num(newExpiry.Add(InvitationRetention).Unix())
	c.values[":queued"] = str(domain.DeliveryQueued)
	c.values[":empty"] = str("")
	c.values[":iid"] = str(inv.InviterID)
	c.values[":iname"] = str(inv.InviterName)
	c.values[":iemail"] = str(inv.InviterEmail)
	c.values[":att"] = str(now.UTC().Format(time.RFC3339Nano))
	tx := s.tx().invUpdate(inviteKey(inv.AccountID, inv.ID),
		"SET tokenHash = :nohash, mailId = :mail, inviteExpiresAt = :invExp, #exp = :ttl, delivery = :queued, deliveryReason = :empty, "+
			"inviterId = :iid, inviterName = :iname, inviterEmail = :iemail, lastAttemptAt = :att, "+
			"resendCount = resendCount + :one, version = version + :one REMOVE messageId, exceedsInviter",
		invWithOne(c)).
		delete(inviteTokenKey(inv.TokenHash), cond{}).
		putRecord(typeInviteGuard, inviteGuardKey(inv.AccountID, inv.Email), inviteGuard{InviteID: inv.ID, Until: newExpiry.Unix()},
			newExpiry.Add(InvitationRetention), cond{
				expr:   "attribute_not_exists(PK) OR inviteId = :id OR #until <= :now",
				names:  map[string]string{"#until": "until"},
				values: item{":id": str(inv.ID), ":now": num(now.Unix())},
			})
	reasons := map[int]error{0: ErrConflict, 2: ErrInvitationPending}
	// The expiry marker moves to the new expiry. A resend of an invitation
	// that expired writes its invitation.expired event first, unless the
	// stream function did (TTL may not have deleted the old marker yet,
	// and the new one replaces it).
	next := inv
	next.ExpiresAt = newExpiry
	marker, err := expiryMarker(next)
	if err != nil {
		return domain.Invitation{}, err
	}
	tx.put(marker, cond{})
	if inv.Expired(now) {
		s.auditExpiredOnce(ctx, tx, inv)
	}
	if l.Max > 0 {
		i, end := tx.hit(InviterLimit(inv.InviterID), l, now)
		reasons[i] = &RateLimitedError{RetryAfter: retryAfter(end, now)}
	}
	tx.queueMail(m)
	s.audit(tx, ev)
	if err := mapConflict(tx.commit(ctx), reasons); err != nil {
		return domain.Invitation{}, err
	}
	inv.TokenHash, inv.MailID, inv.ExpiresAt, inv.Delivery, inv.DeliveryReason, inv.MessageID = "", m.ID, newExpiry, domain.DeliveryQueued, "", ""
	inv.ResendCount++
	inv.Version++
	inv.LastAttemptAt = now
	return inv, nil
}

// pendingCursor is a page position in an account's Pending list: the last
// item's keys, bound to the account (a cursor of another account's list is
// refused).
type pendingCursor struct {
	ID      string `json:"i"`
	Created string `json:"c"`
	Sum     string `json:"s"`
}

// decodePendingCursor returns the position a cursor of the account's
// Pending list carries, or ErrInvalidCursor for a malformed or foreign one.
func decodePendingCursor(accountID, cursor string) (pendingCursor, error) {
	if len(cursor) > 700 {
		return pendingCursor{}, ErrInvalidCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	var c pendingCursor
	if err != nil || len(b) > 512 || json.Unmarshal(b, &c) != nil || c.ID == "" || c.Sum != cursorSum(accountID, c.ID, c.Created) {
		return pendingCursor{}, ErrInvalidCursor
	}
	return c, nil
}

func cursorSum(accountID, id, created string) string {
	h := sha256.Sum256([]byte("roster-invites\x00" + accountID + "\x00" + id + "\x00" + created))
	return base64.RawURLEncoding.EncodeToString(h[:8])
}

// ListPendingInvitations returns one page (at most limit) of the account's
// pending invitations, oldest first, from GSI2, and the opaque cursor of
// the next page ("" at the end). Items keep state pending even past their
// expiry: the caller shows those as expired. It returns ErrInvalidCursor
// for a malformed cursor or one of another account.
func (s *Store) ListPendingInvitations(ctx context.Context, accountID, cursor string, limit int) ([]domain.Invitation, string, error) {
	pk := pendingInvitesPK(accountID)
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI2),
		KeyConditionExpression:    aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: item{":pk": str(pk)},
		Limit:                     aws.Int32(int32(limit)),
	}
	if cursor != "" {
		c, err := decodePendingCursor(accountID, cursor)
		if err != nil {
			return nil, "", err
		}
		in.ExclusiveStartKey = item{
			AttrPK: str(accountPK(accountID)), AttrSK: str(inviteSK(c.ID)),
			AttrGSI2PK: str(pk), AttrGSI2SK: str(c.Created + "#" + c.ID),
		}
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("list invitations: %w", err)
	}
	invs := make([]domain.Invitation, 0, len(out.Items))
	for _, m := range out.Items {
		inv, err := decodeInvitation(m)
		if err != nil {
			return nil, "", err
		}
		invs = append(invs, inv)
	}
	next := ""
	if len(out.LastEvaluatedKey) > 0 && len(invs) > 0 {
		last := invs[len(invs)-1]
		created := timeKey(last.CreatedAt)
		b, _ := json.Marshal(pendingCursor{ID: last.ID, Created: created, Sum: cursorSum(accountID, last.ID, created)})
		next = base64.RawURLEncoding.EncodeToString(b)
	}
	return invs, next, nil
}

// SeedInvitations writes n pending invitations into the account with
// BatchWriteItem (no guards, tokens or events), for benchmarks of the
// Pending list. It is not used by any function.
func (s *Store) SeedInvitations(ctx context.Context, proto domain.Invitation, n int) error {
	var reqs []types.WriteRequest
	flush := func() error {
		for len(reqs) > 0 {
			out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{s.table: reqs}})
			if err != nil {
				return fmt.Errorf("seed invitations: %w", err)
			}
			reqs = out.UnprocessedItems[s.table]
		}
		return nil
	}
	for i := 0; i < n; i++ {
		inv := proto
		inv.ID = NewID()
		inv.Email = strconv.Itoa(i) + "-" + proto.Email
		inv.CreatedAt = proto.CreatedAt.Add(time.Duration(i) * time.Millisecond)
		inv.TokenHash = NewID()
		inv.Version = 1
		it, err := invitationItem(inv)
		if err != nil {
			return err
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
		if len(reqs) == 25 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
