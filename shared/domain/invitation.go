package domain

import (
	"fmt"
	"time"
)

// Invitation states and delivery states.
const (
	InvitePending  = "pending"
	InviteAccepted = "accepted"
	InviteRevoked  = "revoked"
	InviteExpired  = "expired"

	DeliveryQueued     = "queued"
	DeliverySent       = "sent"
	DeliveryFailed     = "failed"
	DeliveryBounced    = "bounced"
	DeliveryComplained = "complained"
)

// Invitation is an invitation of an email into an account. Only the hash of
// its link's token is stored.
type Invitation struct {
	ID           string        `dynamodbav:"id"`
	AccountID    string        `dynamodbav:"accountId"`
	AccountName  string        `dynamodbav:"accountName"`
	Email        string        `dynamodbav:"email"`
	FirstName    string        `dynamodbav:"firstName"`
	LastName     string        `dynamodbav:"lastName"`
	Role         Role          `dynamodbav:"role"`
	Permissions  PermissionSet `dynamodbav:"permissions"`
	InviterID    string        `dynamodbav:"inviterId"`
	InviterName  string        `dynamodbav:"inviterName"`
	InviterEmail string        `dynamodbav:"inviterEmail"`
	CreatedAt    time.Time     `dynamodbav:"createdAt"`
	// SentAt is when the first email went out; LastSentAt the latest.
	SentAt     time.Time `dynamodbav:"sentAt"`
	LastSentAt time.Time `dynamodbav:"lastSentAt"`
	// ExpiresAt is when the link stops working. The item's TTL attribute
	// (expiresAt, epoch seconds) is ExpiresAt + InvitationRetention.
	ExpiresAt      time.Time `dynamodbav:"inviteExpiresAt"`
	State          string    `dynamodbav:"state"`
	Delivery       string    `dynamodbav:"delivery"`
	DeliveryReason string    `dynamodbav:"deliveryReason"`
	// MessageID is SES's id of the current link's email, once SES took it;
	// a lookup item (SESMSG#<id>) leads SES's bounce and complaint events
	// back to the invitation.
	MessageID   string `dynamodbav:"messageId,omitempty"`
	ResendCount int    `dynamodbav:"resendCount"`
	// TokenHash is the hash of the current link's token; empty until the
	// mail sender issues the link of MailID (no link token is ever stored).
	TokenHash string `dynamodbav:"tokenHash"`
	// MailID is the outbox mail of the current link (store.Mail).
	MailID string `dynamodbav:"mailId,omitempty"`
	// LastAttemptAt is the latest create or resend, for the minimum
	// interval between resends.
	LastAttemptAt time.Time `dynamodbav:"lastAttemptAt"`
	AcceptedBy    string    `dynamodbav:"acceptedBy,omitempty"`
	ClosedAt      time.Time `dynamodbav:"closedAt,omitempty"`
	Version       int64     `dynamodbav:"version"`
}

// Expired reports whether the invitation's link has expired at now.
func (i Invitation) Expired(now time.Time) bool { return !now.Before(i.ExpiresAt) }

// CheckPending returns a conflict error invitation_not_pending unless the
// invitation is pending (expired ones are pending too, until resent or
// revoked).
func CheckPending(inv Invitation) error {
	if inv.State != InvitePending {
		return CodeInvitationNotPending.Msg(fmt.Sprintf("This invitation has been %s already.", inv.State))
	}
	return nil
}

// CheckResend applies the resend limits at now: at most maxResends resends
// of one invitation, and at least interval between two sends. It returns a
// rate_limited error (resend_limit, or resend_too_soon with RetryAfter), or nil.
func CheckResend(inv Invitation, now time.Time, interval time.Duration, maxResends int) error {
	if inv.ResendCount >= maxResends {
		return &Error{Kind: CodeResendLimit.Kind, Code: CodeResendLimit.Name,
			Message: fmt.Sprintf("This invitation has been resent %d times, the most allowed. Revoke it and invite again.", maxResends)}
	}
	last := inv.LastAttemptAt
	if last.IsZero() {
		last = inv.CreatedAt
	}
	if wait := last.Add(interval).Sub(now); wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		return &Error{Kind: CodeResendTooSoon.Kind, Code: CodeResendTooSoon.Name, RetryAfter: secs,
			Message: fmt.Sprintf("This invitation was just sent. Try again in %d seconds.", secs)}
	}
	return nil
}

// Usable returns the error a token's invitation gives at now: invalid_token
// (404) when it is no longer pending, invitation_expired (410, naming whom
// to ask) past its expiry, or nil.
func Usable(inv Invitation, now time.Time) error {
	if inv.State != InvitePending {
		return ErrInvitationToken
	}
	if inv.Expired(now) {
		return CodeInvitationExpired.Msg(fmt.Sprintf(
			"This invitation expired on %s. Ask %s (%s) to send it again.",
			inv.ExpiresAt.UTC().Format("2 January 2006"), FullName(inv.InviterName, "", inv.InviterEmail), inv.InviterEmail))
	}
	return nil
}

// ErrInvitationToken is every unusable link: unknown, malformed, revoked,
// used or replaced. It says nothing that helps guessing.
var ErrInvitationToken = CodeInvalidToken.Msg("This invitation link is not valid. It may have been used, revoked or replaced by a newer one.")
