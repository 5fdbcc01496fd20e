// Package history holds the pure parts of the account history API: the
// period and action filters, the opaque page cursor, the readable lines of
// what an event changed, and the CSV and JSON-lines renderings of an export.
// It does no I/O.
package history

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"roster/shared/domain"
)

// Period is a history period: how far back from now a listing reaches.
type Period string

// The periods the History view offers.
const (
	Period1W  Period = "1w"
	Period2W  Period = "2w"
	Period1M  Period = "1m"
	Period3M  Period = "3m"
	Period6M  Period = "6m"
	Period12M Period = "12m"
	PeriodAll Period = "all"
)

// Periods lists the periods in the order the site offers them.
var Periods = []Period{Period1W, Period2W, Period1M, Period3M, Period6M, Period12M, PeriodAll}

// ParsePeriod accepts one of Periods; the empty string is PeriodAll. It
// returns a 400 invalid_period error for anything else.
func ParsePeriod(s string) (Period, error) {
	if s == "" {
		return PeriodAll, nil
	}
	if slices.Contains(Periods, Period(s)) {
		return Period(s), nil
	}
	return "", domain.CodeInvalidPeriod.Field("period", "The period must be one of 1w, 2w, 1m, 3m, 6m, 12m or all.")
}

// Start returns the first instant of the period ending at now, inclusive:
// weeks are exact multiples of 7×24 hours, months are calendar months back
// (time.AddDate, in UTC: 31 March minus one month is 3 March, as AddDate
// normalizes). PeriodAll returns the zero time (no lower bound).
func (p Period) Start(now time.Time) time.Time {
	now = now.UTC()
	switch p {
	case Period1W:
		return now.Add(-7 * 24 * time.Hour)
	case Period2W:
		return now.Add(-14 * 24 * time.Hour)
	case Period1M:
		return now.AddDate(0, -1, 0)
	case Period3M:
		return now.AddDate(0, -3, 0)
	case Period6M:
		return now.AddDate(0, -6, 0)
	case Period12M:
		return now.AddDate(0, -12, 0)
	}
	return time.Time{}
}

// Kinds are the action kinds a filter may name: an action's kind is its
// prefix before the dot.
var Kinds = []string{"member", "invitation", "account", "project"}

// Actions lists every audit action Roster writes.
var Actions = []string{
	domain.ActionAccountCreated, domain.ActionAccountRenamed, domain.ActionOwnershipHandedOver,
	domain.ActionMemberSignedIn, domain.ActionMemberPermissions, domain.ActionMemberRole,
	domain.ActionMemberProfile, domain.ActionMemberDeactivated, domain.ActionMemberReactivated,
	domain.ActionMemberRemoved, domain.ActionMemberTransferredOut, domain.ActionMemberTransferredIn,
	domain.ActionInvitationCreated, domain.ActionInvitationEdited, domain.ActionInvitationResent,
	domain.ActionInvitationRevoked, domain.ActionInvitationAccepted, domain.ActionInvitationExpired,
	domain.ActionProjectCreated, domain.ActionProjectRenamed, domain.ActionProjectOwnerChanged,
	domain.ActionProjectDeleted, domain.ActionProjectMemberAdded, domain.ActionProjectMemberRemoved,
}

// KindOf returns the kind of an action ("member" of "member.role_changed").
func KindOf(action string) string {
	k, _, _ := strings.Cut(action, ".")
	return k
}

// MaxFilterActions bounds the exact actions of one filter.
const MaxFilterActions = 20

// Filter is the action filter of a listing: nothing (every action), one
// kind, or a set of exact actions.
type Filter struct {
	// Kind is "member", "invitation", "account" or "project", or empty.
	Kind string
	// Actions are exact action names, sorted; empty when Kind is set.
	Actions []string
}

// IsZero reports whether the filter lets every action through.
func (f Filter) IsZero() bool { return f.Kind == "" && len(f.Actions) == 0 }

// String renders the filter canonically, for cursor binding.
func (f Filter) String() string {
	if f.Kind != "" {
		return f.Kind
	}
	return strings.Join(f.Actions, ",")
}

// Match reports whether an action passes the filter.
func (f Filter) Match(action string) bool {
	switch {
	case f.Kind != "":
		return KindOf(action) == f.Kind
	case len(f.Actions) > 0:
		return slices.Contains(f.Actions, action)
	}
	return true
}

// ParseFilter reads the action query parameter: empty (every action), one
// kind ("member", "invitation", "account"), or a comma-separated list of
// exact actions ("member.role_changed,member.permissions_changed"). A kind
// cannot be mixed with exact actions. It returns a 400 invalid_action error
// naming the first unknown value.
func ParseFilter(s string) (Filter, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Filter{}, nil
	}
	if slices.Contains(Kinds, s) {
		return Filter{Kind: s}, nil
	}
	set := map[string]bool{}
	for _, a := range strings.Split(s, ",") {
		a = strings.TrimSpace(a)
		if !slices.Contains(Actions, a) {
			msg := "Unknown action " + quote(a) + ": use member, invitation, account or project, or a list of actions such as member.role_changed."
			if slices.Contains(Kinds, a) {
				msg = "A kind (" + a + ") cannot be combined with other actions."
			}
			return Filter{}, domain.CodeInvalidAction.Field("action", msg)
		}
		set[a] = true
	}
	if len(set) > MaxFilterActions {
		return Filter{}, domain.CodeInvalidAction.Field("action", "Name at most 20 actions.")
	}
	out := make([]string, 0, len(set))
	for a := range set {
		out = append(out, a)
	}
	sort.Strings(out)
	return Filter{Actions: out}, nil
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// Scope is what a cursor is bound to: one account's (or one member's)
// history under one period and one filter. A cursor made for another scope
// is refused.
type Scope struct {
	AccountID string
	MemberID  string
	Period    Period
	Filter    Filter
}

func (s Scope) digest() string {
	h := sha256.Sum256([]byte(strings.Join([]string{"v1", s.AccountID, s.MemberID, string(s.Period), s.Filter.String()}, "\x00")))
	return hex.EncodeToString(h[:8])
}

// positionPattern is the shape of a page position: an event's sort key,
// <fixed-width UTC time>#<event id>.
var positionPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z#[A-Za-z0-9_.:-]{1,80}$`)

type cursorBody struct {
	Pos   string `json:"p"`
	Scope string `json:"s"`
}

// EncodeCursor returns the opaque cursor of the page after position pos in
// scope. The cursor is not secret: it carries the position (the sort key of
// the last event shown) and a digest of the scope, so that a cursor cannot
// be replayed against another account, member, period or filter. Even a
// forged one could only move the start of a query the caller is already
// allowed to run.
func EncodeCursor(scope Scope, pos string) string {
	b, _ := json.Marshal(cursorBody{Pos: pos, Scope: scope.digest()})
	return base64.RawURLEncoding.EncodeToString(b)
}

// ErrInvalidCursor is the 400 answer to a malformed or foreign cursor.
var ErrInvalidCursor = domain.CodeInvalidCursor.Field("cursor", "This page link is not valid for this history; start again from the first page.")

// DecodeCursor returns the position a cursor of scope carries; "" (first
// page) for an empty cursor. It returns ErrInvalidCursor when the cursor is
// malformed or was made for another scope.
func DecodeCursor(scope Scope, cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	if len(cursor) > 512 {
		return "", ErrInvalidCursor
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return "", ErrInvalidCursor
	}
	var b cursorBody
	if err := json.Unmarshal(raw, &b); err != nil || b.Scope != scope.digest() || !positionPattern.MatchString(b.Pos) {
		return "", ErrInvalidCursor
	}
	return b.Pos, nil
}
