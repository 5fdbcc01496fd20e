package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/domain"
)

// MaxHistoryPage bounds the events of one history page.
const MaxHistoryPage = 1000

// FilteredReadFactor is how many events a page filtered by exact actions
// (or a member's history filtered by kind) may read per event it returns.
// Such a filter is a FilterExpression on the page's one Query: DynamoDB reads
// (and charges for) the events it evaluates, and returns those that match,
// so a page may hold fewer events than asked, even none, and still have a
// next page. The account's history filtered by kind needs no filter: it is
// its own index (GSI2), so its pages are full.
const FilteredReadFactor = 5

// HistoryQuery selects one page of an account's history, or of one member's.
type HistoryQuery struct {
	AccountID string
	// MemberID, when set, reads that member's history (GSI1).
	MemberID string
	// From is the first instant included; zero reaches back to the start.
	From time.Time
	// To is the last instant included; zero is the store's now.
	To time.Time
	// Kind keeps the events of one action kind ("member", "invitation",
	// "account"); Actions keeps exact actions. At most one of them is set.
	Kind    string
	Actions []string
	// Limit is the page size, 1 to MaxHistoryPage.
	Limit int
	// After is the position (an event's sort key) the page starts after,
	// newest first; "" is the first page.
	After string
}

// HistoryPage is one page of events, newest first.
type HistoryPage struct {
	Events []domain.AuditEvent
	// Next is the position to continue after, or "" on the last page.
	Next string
}

// History reads one page of history with exactly one Query on a
// time-ordered key: the account's events (PK = the account's history), one
// member's (GSI1) or one kind's (GSI2), between From and To, newest first.
// Expired events (expiresAt in the past, not yet deleted by TTL) are never
// returned. It returns the SDK's error, wrapped.
func (s *Store) History(ctx context.Context, q HistoryQuery) (HistoryPage, error) {
	if q.Limit <= 0 || q.Limit > MaxHistoryPage {
		return HistoryPage{}, fmt.Errorf("store: history page size %d out of 1..%d", q.Limit, MaxHistoryPage)
	}
	now := s.now()
	to := q.To
	if to.IsZero() {
		to = now
	}
	lo, hi := "", timeKey(to)+"#~"
	if !q.From.IsZero() {
		lo = timeKey(q.From)
	}
	if q.After != "" && (q.After < lo || q.After > hi) {
		// The period moved on past the cursor: nothing is left.
		return HistoryPage{}, nil
	}

	pkAttr, skAttr, pk, index := AttrPK, AttrSK, historyPK(q.AccountID), ""
	switch {
	case q.MemberID != "":
		pkAttr, skAttr, pk, index = AttrGSI1PK, AttrGSI1SK, memberHistoryPK(q.AccountID, q.MemberID), IndexGSI1
	case q.Kind != "":
		pkAttr, skAttr, pk, index = AttrGSI2PK, AttrGSI2SK, historyKindPK(q.AccountID, q.Kind), IndexGSI2
	}
	names := map[string]string{"#pk": pkAttr, "#sk": skAttr, "#exp": AttrExpiresAt}
	values := item{":pk": str(pk), ":hi": str(hi), ":now": num(now.Unix())}
	keyCond := "#pk = :pk AND #sk <= :hi"
	if lo != "" {
		keyCond = "#pk = :pk AND #sk BETWEEN :lo AND :hi"
		values[":lo"] = str(lo)
	}
	filter := "(attribute_not_exists(#exp) OR #exp > :now)"
	read := q.Limit + 1 // one more than the page: tells whether a next page exists
	filtered := false
	switch {
	case len(q.Actions) > 0:
		names["#action"] = "action"
		in := ""
		for i, a := range q.Actions {
			k := ":a" + strconv.Itoa(i)
			values[k] = str(a)
			if i > 0 {
				in += ", "
			}
			in += k
		}
		filter += " AND #action IN (" + in + ")"
		filtered = true
	case q.Kind != "" && q.MemberID != "":
		names["#action"] = "action"
		values[":kind"] = str(q.Kind + ".")
		filter += " AND begins_with(#action, :kind)"
		filtered = true
	}
	if filtered {
		read = min(q.Limit*FilteredReadFactor, MaxHistoryPage) + 1
	}
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String(keyCond),
		FilterExpression:          aws.String(filter),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(read)),
	}
	if index != "" {
		in.IndexName = aws.String(index)
	}
	if q.After != "" {
		start := item{AttrPK: str(historyPK(q.AccountID)), AttrSK: str(q.After)}
		if index != "" {
			start[pkAttr] = str(pk)
			start[skAttr] = str(q.After)
		}
		in.ExclusiveStartKey = start
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return HistoryPage{}, fmt.Errorf("query history: %w", err)
	}
	var page HistoryPage
	var last string
	for _, m := range out.Items {
		if expired(m, now) {
			continue
		}
		if len(page.Events) == q.Limit {
			// A match beyond the page: the page ends at its last event.
			page.Next = last
			return page, nil
		}
		ev, err := decodeEvent(m)
		if err != nil {
			return HistoryPage{}, err
		}
		page.Events = append(page.Events, ev)
		last = attrS(m, AttrSK)
	}
	if out.LastEvaluatedKey != nil {
		// The read stopped (at its limit or 1 MB) before the range's end.
		page.Next = attrS(out.LastEvaluatedKey, AttrSK)
	}
	return page, nil
}

// MemberHasHistory reports whether any event of the account ever concerned
// the member (one Query of one item on GSI1): the history of a removed
// member stays readable after the membership is gone. It returns the SDK's
// error, wrapped.
func (s *Store) MemberHasHistory(ctx context.Context, accountID, userID string) (bool, error) {
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": AttrGSI1PK},
		ExpressionAttributeValues: item{":pk": str(memberHistoryPK(accountID, userID))},
		Limit:                     aws.Int32(1),
		ProjectionExpression:      aws.String("#pk"),
	})
	if err != nil {
		return false, fmt.Errorf("query member history: %w", err)
	}
	return len(out.Items) > 0, nil
}

func decodeEvent(m item) (domain.AuditEvent, error) {
	var ev domain.AuditEvent
	if err := attributevalue.UnmarshalMap(m, &ev); err != nil {
		return domain.AuditEvent{}, fmt.Errorf("decode event: %w", err)
	}
	return ev, nil
}

func attrS(m item, name string) string {
	if v, ok := m[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// ExpiredEventID is the id of the invitation.expired event of an
// invitation that expired at expiresAt: derived from both, so that writing
// it twice (a stream record delivered again, the replacement of the expired
// invitation after the stream function wrote it) is one event, while an
// invitation resent after it expired, that expires again, gets a second
// one.
func ExpiredEventID(invitationID string, expiresAt time.Time) string {
	return "expired-" + invitationID + "-" + strconv.FormatInt(expiresAt.Unix(), 10)
}

// RecordInvitationExpired writes the invitation.expired event (actor: the
// system) of a pending invitation whose expiry marker DynamoDB TTL deleted,
// given the marker's old image from the table's stream. The marker exists
// only while its invitation is pending and its TTL is the invitation's
// expiry, so the event comes soon after the expiry (TTL's delay), dated at
// the expiry. Its id is derived from the invitation's and the expiry, and
// the put is conditional on its absence, so a record delivered twice, or
// an event the replacement of the expired invitation wrote already, is one
// event. It reports whether it wrote the event: false for an image that is
// not an expiry marker (an invitation item TTL deletes InvitationRetention
// after its expiry is ignored: its marker told already), or when the event
// exists already. It returns a decoding error or the SDK's error, wrapped.
func (s *Store) RecordInvitationExpired(ctx context.Context, old map[string]types.AttributeValue) (bool, error) {
	if typeOf(old) != typeInviteExpiry {
		return false, nil
	}
	var m inviteExpiry
	if err := attributevalue.UnmarshalMap(old, &m); err != nil {
		return false, fmt.Errorf("decode invitation expiry: %w", err)
	}
	if m.AccountID == "" || m.InviteID == "" || m.ExpiresAt.IsZero() {
		return false, nil
	}
	ev := expiredEvent(m.AccountID, m.InviteID, m.Email, m.FirstName, m.LastName, m.ExpiresAt)
	it, err := s.eventItem(ev)
	if err != nil {
		return false, err
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(s.table),
		Item:                it,
		ConditionExpression: notExists.exprPtr(),
	})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("put expired event: %w", err)
	}
	return true, nil
}
