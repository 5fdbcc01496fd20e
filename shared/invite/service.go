package invite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/store"
)

// Store is the part of the store the service uses.
type Store interface {
	Now() time.Time
	ReadForCreate(ctx context.Context, accountID, email, actorID, idemKey string) (store.CreateReads, error)
	CreateInvitation(ctx context.Context, n store.NewInvitation) error
	GetInvitation(ctx context.Context, accountID, id string) (domain.Invitation, error)
	InvitationByToken(ctx context.Context, hash string) (domain.Invitation, error)
	ReadForAccept(ctx context.Context, hash, userID string) (store.AcceptReads, error)
	AcceptInvitation(ctx context.Context, inv domain.Invitation, m domain.Membership, ev domain.AuditEvent) error
	EditInvitation(ctx context.Context, inv domain.Invitation, ev domain.AuditEvent) (domain.Invitation, error)
	RevokeInvitation(ctx context.Context, inv domain.Invitation, ev domain.AuditEvent) error
	ResendInvitation(ctx context.Context, inv domain.Invitation, m store.Mail, newExpiry time.Time, l store.Limit, ev domain.AuditEvent) (domain.Invitation, error)
	MembershipsByID(ctx context.Context, accountID string, ids []string) (map[string]domain.Membership, error)
	ListPendingInvitations(ctx context.Context, accountID, cursor string, limit int) ([]domain.Invitation, string, error)
}

// Config holds the service's settings.
type Config struct {
	// SiteURL is the origin links point to (<SiteURL>/accept#token=T).
	SiteURL string
	// TTL is how long a link stays valid (INVITATION_TTL_HOURS).
	TTL time.Duration
	// PerHour caps invitation emails per account and hour (INVITATIONS_PER_HOUR; 0: no cap).
	PerHour int
	// ResendInterval and MaxResends limit resends of one invitation.
	ResendInterval time.Duration
	MaxResends     int
}

// Service runs the invitation lifecycle.
type Service struct {
	store   Store
	cfg     Config
	catalog *domain.Catalog
}

// New returns a Service; zero resend settings take the defaults. The
// service sends no mail itself: it queues the invitation's email in the
// invitation's own transaction, and the mail sender (shared/outbox) sends
// it.
func New(s Store, cfg Config) *Service {
	if cfg.ResendInterval == 0 {
		cfg.ResendInterval = DefaultResendInterval
	}
	if cfg.MaxResends == 0 {
		cfg.MaxResends = DefaultMaxResends
	}
	if cfg.TTL == 0 {
		cfg.TTL = 7 * 24 * time.Hour
	}
	return &Service{store: s, cfg: cfg, catalog: domain.DefaultCatalog()}
}

func (s *Service) limit() store.Limit { return store.Limit{Max: s.cfg.PerHour, Window: time.Hour} }

// Created is the result of Create: the invitation, and whether it was
// made by an earlier request with the same idempotency key.
type Created struct {
	View     View
	Replayed bool
}

// RequestHash fingerprints a create request for its idempotency key: a
// reused key with a different request is refused.
func RequestHash(in CreateInput) string {
	b, _ := json.Marshal(in)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Create invites an email into the actor's account: the invitation, its
// queued email and its audit event are written in one transaction, and
// the mail sender sends the email with its link (delivery goes from queued
// to sent or failed). idemKey, when not empty,
// makes a retried request return the first result without a second
// invitation or email. It returns invalid errors for bad input, forbidden
// errors from the grant rules, conflict errors invitation_pending and
// already_member, unprocessable idempotency_mismatch, and rate_limited past
// the account's hourly cap.
func (s *Service) Create(ctx context.Context, actor domain.Actor, accountID string, in CreateInput, idemKey string) (Created, error) {
	if len(idemKey) > MaxIdempotencyKey {
		return Created{}, domain.CodeInvalidIdempotencyKey.Field("Idempotency-Key", "The Idempotency-Key header is too long (100 characters at most).")
	}
	d, err := ParseCreate(in, s.catalog)
	if err != nil {
		return Created{}, err
	}
	if err := s.catalog.CheckGrant(actor, domain.Change{NewRole: d.Role, NewPermissions: d.Permissions}); err != nil {
		return Created{}, err
	}
	reqHash := RequestHash(in)
	reads, err := s.store.ReadForCreate(ctx, accountID, d.Email, actor.UserID, idemKey)
	if errors.Is(err, store.ErrNotFound) {
		return Created{}, domain.CodeAccountNotFound.Msg("This account does not exist.")
	}
	if err != nil {
		return Created{}, err
	}
	if reads.ReplayedInviteID != "" {
		return s.replay(ctx, accountID, reads, reqHash)
	}
	// A request with the same key may have won the race: reads are
	// isolated per item only, so its slot can show before its key does,
	// and DynamoDB need not report every failed condition. Read the key
	// again before telling a retry the slot is taken.
	keyWon := func() (Created, bool, error) {
		if idemKey == "" {
			return Created{}, false, nil
		}
		again, err := s.store.ReadForCreate(ctx, accountID, d.Email, actor.UserID, idemKey)
		if err != nil || again.ReplayedInviteID == "" {
			return Created{}, false, err
		}
		c, err := s.replay(ctx, accountID, again, reqHash)
		return c, true, err
	}
	if reads.GuardInviteID != "" && !reads.GuardExpired {
		if c, won, err := keyWon(); won || err != nil {
			return c, err
		}
		return Created{}, errPending
	}
	now := s.store.Now().UTC()
	m := store.NewMail(store.MailInvite, d.Email, now)
	inv := domain.Invitation{
		ID: store.NewID(), AccountID: accountID, AccountName: reads.Account.Name,
		Email: d.Email, FirstName: d.FirstName, LastName: d.LastName, Role: d.Role, Permissions: d.Permissions,
		InviterID: actor.UserID, InviterName: actor.Name, InviterEmail: actor.Email,
		CreatedAt: now, LastAttemptAt: now, ExpiresAt: now.Add(s.cfg.TTL),
		State: domain.InvitePending, Delivery: domain.DeliveryQueued, MailID: m.ID,
	}
	m.AccountID, m.InviteID = accountID, inv.ID
	ev := domain.InvitationCreated(actor, inv, now)
	replace := ""
	if reads.GuardExpired {
		replace = reads.GuardInviteID
	}
	err = s.store.CreateInvitation(ctx, store.NewInvitation{
		Invitation: inv, MemberUserID: reads.MemberUserID, ReplaceID: replace,
		IdempotencyKey: idemKey, RequestHash: reqHash, Limit: s.limit(), Event: ev, Mail: m,
	})
	if errors.Is(err, store.ErrIdempotentReplay) || errors.Is(err, store.ErrInvitationPending) || errors.Is(err, store.ErrConflict) {
		if c, won, rerr := keyWon(); won || rerr != nil {
			return c, rerr
		}
	}
	var rl *store.RateLimitedError
	switch {
	case errors.As(err, &rl):
		return Created{}, RateLimited(rl)
	case errors.Is(err, store.ErrInvitationPending):
		return Created{}, errPending
	case errors.Is(err, store.ErrAlreadyMember):
		return Created{}, errAlreadyMember
	case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrIdempotentReplay):
		return Created{}, errBusy
	case err != nil:
		return Created{}, err
	}
	inv.Version = 1
	return Created{View: ViewOf(inv, now)}, nil
}

var (
	errPending       = domain.CodeInvitationPending.Msg("This email already has a pending invitation to this account. Use Resend on the Pending tab to send it again.")
	errAlreadyMember = domain.CodeAlreadyMember.Msg("This person is already a member of this account.")
	errBusy          = domain.CodeConflict.Msg("Someone changed this at the same moment. Reload and try again.")
	errNotFound      = domain.CodeInvitationNotFound.Msg("This invitation does not exist.")
)

// replay answers a retry of an Idempotency-Key: 422 idempotency_mismatch
// for a different request, else the first request's invitation. A create
// writes its key in the transaction that makes its invitation and queues
// its mail, so a key is never seen before its result: a retry racing the
// first request either loses and replays it, or wins and is replayed.
func (s *Service) replay(ctx context.Context, accountID string, reads store.CreateReads, reqHash string) (Created, error) {
	if reads.ReplayedRequestHash != reqHash {
		return Created{}, domain.CodeIdempotencyMismatch.Msg("This Idempotency-Key was used for a different request.")
	}
	inv, err := s.store.GetInvitation(ctx, accountID, reads.ReplayedInviteID)
	if err != nil {
		return Created{}, err
	}
	return Created{View: ViewOf(inv, s.store.Now()), Replayed: true}, nil
}

// Page is one page of the Pending list.
type Page struct {
	Items []View `json:"items"`
	Next  string `json:"next,omitempty"`
}

// List returns a page of the account's pending invitations (expired ones
// shown as expired). It returns forbidden without users.view and invalid
// invalid_cursor for a cursor that is malformed or of another account.
func (s *Service) List(ctx context.Context, actor domain.Actor, accountID, cursor string) (Page, error) {
	if !actor.Can(domain.PermUsersView) {
		return Page{}, domain.CodeMissingPermission.Msg("You need the Account administration: view permission to see invitations.")
	}
	if len(cursor) > 1024 {
		return Page{}, errCursor
	}
	invs, next, err := s.store.ListPendingInvitations(ctx, accountID, cursor, PageSize)
	if errors.Is(err, store.ErrInvalidCursor) {
		return Page{}, errCursor
	}
	if err != nil {
		return Page{}, err
	}
	// The inviters' current memberships, in one BatchGetItem, say which
	// invitations grant more than their inviter may grant now (they would
	// be refused on accept).
	var inviters []string
	for _, inv := range invs {
		if !slices.Contains(inviters, inv.InviterID) {
			inviters = append(inviters, inv.InviterID)
		}
	}
	current := map[string]domain.Membership{}
	if len(inviters) > 0 {
		if current, err = s.store.MembershipsByID(ctx, accountID, inviters); err != nil {
			return Page{}, err
		}
	}
	now := s.store.Now()
	p := Page{Items: make([]View, 0, len(invs)), Next: next}
	for _, inv := range invs {
		v := ViewOf(inv, now)
		m, found := current[inv.InviterID]
		v.ExceedsInviter = CheckInviter(s.catalog, inv, m, found) != nil
		p.Items = append(p.Items, v)
	}
	return p, nil
}

var errCursor = domain.CodeInvalidCursor.Field("cursor", "This page link is not valid; start from the first page.")

// pendingOf reads an invitation that must be pending and that the actor
// may manage. It returns not_found, conflict invitation_not_pending, or the
// grant rules' forbidden error.
func (s *Service) pendingOf(ctx context.Context, actor domain.Actor, accountID, id string) (domain.Invitation, error) {
	inv, err := s.store.GetInvitation(ctx, accountID, id)
	if errors.Is(err, store.ErrNotFound) {
		return domain.Invitation{}, errNotFound
	}
	if err != nil {
		return domain.Invitation{}, err
	}
	if err := domain.CheckPending(inv); err != nil {
		return domain.Invitation{}, err
	}
	if err := s.catalog.CheckGrant(actor, domain.Change{HasCurrent: true, CurrentRole: inv.Role, CurrentStatus: domain.StatusActive,
		CurrentPerms: inv.Permissions, NewRole: inv.Role, NewPermissions: inv.Permissions}); err != nil {
		return domain.Invitation{}, err
	}
	return inv, nil
}

// stale returns the stale_version error carrying the invitation as it is now.
func (s *Service) stale(ctx context.Context, accountID, id string) error {
	e := domain.CodeStaleVersion.Msg("Someone changed this invitation meanwhile. Review the current version and try again.")
	if cur, err := s.store.GetInvitation(ctx, accountID, id); err == nil {
		e.Current = ViewOf(cur, s.store.Now())
	}
	return e
}

// Edit changes a pending invitation's names, role or permissions. It
// returns invalid errors for bad input, not_found, conflict
// invitation_not_pending, stale_version (with the current invitation) when
// in.Version is not the current one, and the grant rules' forbidden errors.
func (s *Service) Edit(ctx context.Context, actor domain.Actor, accountID, id string, in EditInput) (View, error) {
	inv, err := s.pendingOf(ctx, actor, accountID, id)
	if err != nil {
		return View{}, err
	}
	after, err := ApplyEdit(inv, in, s.catalog)
	if err != nil {
		return View{}, err
	}
	if *in.Version != inv.Version {
		return View{}, s.stale(ctx, accountID, id)
	}
	if err := s.catalog.CheckGrant(actor, domain.Change{HasCurrent: true, CurrentRole: inv.Role, CurrentStatus: domain.StatusActive,
		CurrentPerms: inv.Permissions, NewRole: after.Role, NewPermissions: after.Permissions}); err != nil {
		return View{}, err
	}
	now := s.store.Now().UTC()
	ev := domain.InvitationEdited(actor, inv, after, now)
	written, err := s.store.EditInvitation(ctx, after, ev)
	if errors.Is(err, store.ErrConflict) {
		return View{}, s.stale(ctx, accountID, id)
	}
	if err != nil {
		return View{}, err
	}
	return ViewOf(written, now), nil
}

// Revoke revokes a pending invitation: its link stops working at once. It
// returns not_found, conflict invitation_not_pending, stale_version on a
// race, and the grant rules' forbidden errors.
func (s *Service) Revoke(ctx context.Context, actor domain.Actor, accountID, id string) error {
	inv, err := s.pendingOf(ctx, actor, accountID, id)
	if err != nil {
		return err
	}
	now := s.store.Now().UTC()
	ev := domain.InvitationRevoked(actor, inv, now)
	err = s.store.RevokeInvitation(ctx, inv, ev)
	if errors.Is(err, store.ErrConflict) {
		return s.stale(ctx, accountID, id)
	}
	return err
}

// Resend queues a pending invitation's email again, expired ones too: a
// new link with a new validity window (the old link stops working at
// once, the sender issues the new one), the actor as its inviter. It returns not_found, conflict invitation_not_pending or
// invitation_pending, rate_limited (resend_too_soon, resend_limit or the
// account's hourly cap), stale_version on a race, and the grant rules'
// forbidden errors.
func (s *Service) Resend(ctx context.Context, actor domain.Actor, accountID, id string) (View, error) {
	inv, err := s.pendingOf(ctx, actor, accountID, id)
	if err != nil {
		return View{}, err
	}
	now := s.store.Now().UTC()
	if err := domain.CheckResend(inv, now, s.cfg.ResendInterval, s.cfg.MaxResends); err != nil {
		return View{}, err
	}
	inv.InviterID, inv.InviterName, inv.InviterEmail = actor.UserID, actor.Name, actor.Email
	ev := domain.InvitationResent(actor, inv, now)
	m := store.NewMail(store.MailInvite, inv.Email, now)
	m.AccountID, m.InviteID = accountID, inv.ID
	written, err := s.store.ResendInvitation(ctx, inv, m, now.Add(s.cfg.TTL), s.limit(), ev)
	var rl *store.RateLimitedError
	switch {
	case errors.As(err, &rl):
		return View{}, RateLimited(rl)
	case errors.Is(err, store.ErrInvitationPending):
		return View{}, domain.CodeInvitationPending.Msg("Another invitation to this email is pending; resend that one instead.")
	case errors.Is(err, store.ErrConflict):
		return View{}, s.stale(ctx, accountID, id)
	case err != nil:
		return View{}, err
	}
	return ViewOf(written, now), nil
}

// Preview shows what a link offers without using it up (mail scanners
// open links). It returns not_found invalid_token for a malformed, unknown,
// revoked, used or replaced token and gone invitation_expired (naming whom
// to ask) past the expiry.
func (s *Service) Preview(ctx context.Context, token string) (Preview, error) {
	hash, err := auth.ParseToken(token)
	if err != nil {
		return Preview{}, domain.ErrInvitationToken
	}
	inv, err := s.store.InvitationByToken(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return Preview{}, domain.ErrInvitationToken
	}
	if err != nil {
		return Preview{}, err
	}
	if err := domain.Usable(inv, s.store.Now()); err != nil {
		return Preview{}, err
	}
	return Preview{
		AccountName: inv.AccountName, InviterName: inv.InviterName, InviterEmail: inv.InviterEmail,
		Email: inv.Email, FirstName: inv.FirstName, LastName: inv.LastName,
		Role: inv.Role, Permissions: inv.Permissions, ExpiresAt: inv.ExpiresAt,
	}, nil
}

// Accepted is the result of Accept.
type Accepted struct {
	AccountID   string      `json:"accountId"`
	AccountName string      `json:"accountName"`
	Role        domain.Role `json:"role"`
}

// Accept makes the signed-in user a member with the invitation's role and
// permissions, in one transaction with marking it accepted and the audit
// event. It returns not_found invalid_token, gone invitation_expired,
// forbidden email_mismatch (naming the invited address; nothing changed),
// conflict invitation_exceeds_inviter (the invitation is flagged),
// conflict already_member. The actor is the signed-in user (no membership
// yet) with the request's details for the audit trail.
func (s *Service) Accept(ctx context.Context, actor domain.Actor, token string) (Accepted, error) {
	hash, err := auth.ParseToken(token)
	if err != nil {
		return Accepted{}, domain.ErrInvitationToken
	}
	r, err := s.store.ReadForAccept(ctx, hash, actor.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return Accepted{}, domain.ErrInvitationToken
	}
	if err != nil {
		return Accepted{}, err
	}
	inv := r.Invitation
	now := s.store.Now().UTC()
	if err := domain.Usable(inv, now); err != nil {
		return Accepted{}, err
	}
	if r.User.Email != inv.Email {
		return Accepted{}, domain.CodeEmailMismatch.Msg("This invitation is for " + inv.Email + ". Sign in with that address (or register it) to accept it.")
	}
	// A refusal writes nothing: the Pending list works the flag out from
	// the inviter's current permissions whenever it is read.
	if err := CheckInviter(s.catalog, inv, r.Inviter, r.InviterFound); err != nil {
		return Accepted{}, err
	}
	m := domain.Membership{
		AccountID: inv.AccountID, AccountName: inv.AccountName, UserID: r.User.ID, Email: r.User.Email,
		FirstName: r.User.FirstName, LastName: r.User.LastName, Role: inv.Role, Permissions: inv.Permissions,
		Status: domain.StatusActive, JoinedAt: now, LastLoginAt: r.User.LastLoginAt, LastActiveAt: now,
	}
	// Whoever accepts is signed in: the new membership shows their last
	// sign-in as every other membership does (a login made by registering
	// has none yet, and counts from now).
	if m.LastLoginAt.IsZero() {
		m.LastLoginAt = now
	}
	actor.UserID, actor.Email, actor.Name = r.User.ID, r.User.Email, r.User.Name()
	ev := domain.InvitationAccepted(actor, inv, r.User, now)
	err = s.store.AcceptInvitation(ctx, inv, m, ev)
	switch {
	case errors.Is(err, store.ErrAlreadyMember):
		return Accepted{}, errAlreadyMember
	case errors.Is(err, store.ErrNotFound):
		return Accepted{}, domain.ErrInvitationToken
	case errors.Is(err, store.ErrConflict):
		return Accepted{}, errBusy
	case err != nil:
		return Accepted{}, err
	}
	return Accepted{AccountID: inv.AccountID, AccountName: inv.AccountName, Role: inv.Role}, nil
}
