package history

import (
	"context"
	"errors"
	"strconv"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
)

// Params are the query parameters common to the listing and the export.
type Params struct {
	MemberID string
	Period   Period
	Filter   Filter
}

// Scope returns the cursor scope of the parameters in an account.
func (p Params) Scope(accountID string) Scope {
	return Scope{AccountID: accountID, MemberID: p.MemberID, Period: p.Period, Filter: p.Filter}
}

// ParseParams reads member, period and action from a request's query
// parameters. It returns a 400 error (invalid_member, invalid_period,
// invalid_action) for the first malformed one.
func ParseParams(q map[string]string) (Params, error) {
	var p Params
	p.MemberID = q["member"]
	if len(p.MemberID) > 64 {
		return Params{}, domain.CodeInvalidMember.Field("member", "The member id is not valid.")
	}
	var err error
	if p.Period, err = ParsePeriod(q["period"]); err != nil {
		return Params{}, err
	}
	if p.Filter, err = ParseFilter(q["action"]); err != nil {
		return Params{}, err
	}
	return p, nil
}

// Page sizes of the listing.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// ParseLimit reads the limit parameter: empty is DefaultLimit, else 1 to
// MaxLimit. It returns a 400 invalid_limit error otherwise.
func ParseLimit(s string) (int, error) {
	if s == "" {
		return DefaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, domain.CodeInvalidLimit.Field("limit", "The limit must be a whole number from 1 to 200.")
	}
	return n, nil
}

// CanRead checks that the actor may read the history asked for: anyone
// holding history.view (the owner always does), and any member their own
// history. It returns a 403 missing_permission error otherwise.
func CanRead(actor domain.Actor, memberID string) error {
	if memberID != "" && memberID == actor.UserID {
		return nil
	}
	if actor.Can(domain.PermHistoryView) {
		return nil
	}
	return domain.CodeMissingPermission.Msg("You need the History: view permission to read this account's history.")
}

// PermHistoryManage is the permission to export the history.
const PermHistoryManage = "history.manage"

// CanExport checks that the actor may export the history: history.manage
// ("Export the history of changes"), which the owner always holds. It
// returns a 403 missing_permission error otherwise.
func CanExport(actor domain.Actor) error {
	if actor.Can(PermHistoryManage) {
		return nil
	}
	return domain.CodeMissingPermission.Msg("You need the History: export permission to export this account's history.")
}

// MemberFinder is what KnownMember reads.
type MemberFinder interface {
	MemberHasHistory(ctx context.Context, accountID, userID string) (bool, error)
	GetMembership(ctx context.Context, accountID, userID string) (domain.Membership, error)
}

// ErrMemberNotFound is the 404 answer for a member id that is not (and never
// was) a member of the account.
var ErrMemberNotFound = domain.CodeMemberNotFound.Msg("There is no such member in this account.")

// KnownMember checks that userID is, or was, a member of the account: a
// removed member's history stays readable, and any event about the member
// proves it. It is called only when a member's first page came back empty,
// so that a normal page stays one Query. It returns ErrMemberNotFound, or
// the store's error.
func KnownMember(ctx context.Context, s MemberFinder, accountID, userID string) error {
	ok, err := s.MemberHasHistory(ctx, accountID, userID)
	if err != nil || ok {
		return err
	}
	_, err = s.GetMembership(ctx, accountID, userID)
	if err == nil {
		return nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return ErrMemberNotFound
	}
	return err
}

// ReadOnlySessions is the store as the history functions' Authenticator
// sees it: TouchActive (the member's last-active mark, a write) does
// nothing, so that their roles need no write action at all. Any other
// request of the member keeps the mark fresh.
type ReadOnlySessions struct{ *store.Store }

// TouchActive does nothing and returns nil.
func (ReadOnlySessions) TouchActive(context.Context, string, string, time.Time) error { return nil }
