// Package invite is the invitation service: who may invite whom with what,
// the one-pending-per-email rule, sending, resending, revoking, editing,
// previewing and accepting. The rules that need no I/O are plain functions
// here (rules.go); the Service (service.go) reads and writes through the
// store and sends through SES.
package invite

import (
	"fmt"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
)

// Defaults of the resend limits.
const (
	// DefaultResendInterval is the least time between two sends of one invitation.
	DefaultResendInterval = 60 * time.Second
	// DefaultMaxResends caps the resends of one invitation.
	DefaultMaxResends = 5
	// PageSize is the number of invitations in one page of the Pending list.
	PageSize = 50
	// MaxIdempotencyKey bounds the Idempotency-Key header.
	MaxIdempotencyKey = 100
)

// CreateInput is the body of POST /api/accounts/{accountId}/invitations.
type CreateInput struct {
	Email       string                `json:"email"`
	FirstName   string                `json:"firstName"`
	LastName    string                `json:"lastName"`
	Role        string                `json:"role"`
	Permissions *domain.PermissionSet `json:"permissions"`
}

// Draft is a checked and normalized CreateInput.
type Draft struct {
	Email       string
	FirstName   string
	LastName    string
	Role        domain.Role
	Permissions domain.PermissionSet
}

// ParseCreate checks and normalizes a create request against the catalog.
// It returns an invalid error naming the field at fault: invalid_email,
// invalid_name, invalid_role (owner included), missing_permissions,
// unknown_permission or invalid_permissions.
func ParseCreate(in CreateInput, cat *domain.Catalog) (Draft, error) {
	var d Draft
	var err error
	if d.Email, err = domain.NormalizeEmail(in.Email); err != nil {
		return Draft{}, err
	}
	if d.FirstName, err = domain.NormalizeName(in.FirstName, "firstName", true); err != nil {
		return Draft{}, err
	}
	if d.LastName, err = domain.NormalizeName(in.LastName, "lastName", true); err != nil {
		return Draft{}, err
	}
	if d.Role, err = cat.AssignableRole(in.Role); err != nil {
		return Draft{}, err
	}
	if d.Permissions, err = parsePermissions(in.Permissions, cat); err != nil {
		return Draft{}, err
	}
	if err = cat.CheckRoleHolds(d.Role, d.Permissions); err != nil {
		return Draft{}, err
	}
	return d, nil
}

func parsePermissions(p *domain.PermissionSet, cat *domain.Catalog) (domain.PermissionSet, error) {
	if p == nil {
		return domain.PermissionSet{}, domain.CodeMissingPermissions.Field("permissions", "Choose All or a set of permissions.")
	}
	return cat.Normalize(*p)
}

// EditInput is the body of PATCH /api/accounts/{accountId}/invitations/{id}:
// only the fields given change.
type EditInput struct {
	Version     *int64                `json:"version"`
	Role        *string               `json:"role"`
	Permissions *domain.PermissionSet `json:"permissions"`
	FirstName   *string               `json:"firstName"`
	LastName    *string               `json:"lastName"`
}

// ApplyEdit returns inv with the edit applied and normalized. It returns an
// invalid error for a missing version or a bad field.
func ApplyEdit(inv domain.Invitation, in EditInput, cat *domain.Catalog) (domain.Invitation, error) {
	if in.Version == nil {
		return domain.Invitation{}, domain.CodeMissingVersion.Field("version", "Send the version of the invitation you edited.")
	}
	var err error
	if in.FirstName != nil {
		if inv.FirstName, err = domain.NormalizeName(*in.FirstName, "firstName", true); err != nil {
			return domain.Invitation{}, err
		}
	}
	if in.LastName != nil {
		if inv.LastName, err = domain.NormalizeName(*in.LastName, "lastName", true); err != nil {
			return domain.Invitation{}, err
		}
	}
	if in.Role != nil {
		if inv.Role, err = cat.AssignableRole(*in.Role); err != nil {
			return domain.Invitation{}, err
		}
	}
	if in.Permissions != nil {
		if inv.Permissions, err = parsePermissions(in.Permissions, cat); err != nil {
			return domain.Invitation{}, err
		}
	}
	if err = cat.CheckRoleHolds(inv.Role, inv.Permissions); err != nil {
		return domain.Invitation{}, err
	}
	return inv, nil
}

// RateLimited turns the store's refusal of the hourly sending cap into the
// API's 429 with Retry-After.
func RateLimited(e *store.RateLimitedError) error {
	secs := int((e.RetryAfter + time.Second - 1) / time.Second)
	return &domain.Error{Kind: domain.CodeInvitationsRateLimited.Kind, Code: domain.CodeInvitationsRateLimited.Name, RetryAfter: secs,
		Message: fmt.Sprintf("This account has sent as many invitations as allowed this hour. Try again in %d minutes.", (secs+59)/60)}
}

// CheckInviter re-checks an invitation against what its inviter holds now
// (inviter is the inviter's current membership, found false when removed).
// It returns a conflict error invitation_exceeds_inviter, or nil.
func CheckInviter(cat *domain.Catalog, inv domain.Invitation, inviter domain.Membership, found bool) error {
	refused := domain.CodeInvitationExceedsInviter.Msg("This invitation grants more than the person who sent it may grant now. Ask the account's admins for a new invitation.")
	if !found {
		return refused
	}
	actor := domain.Actor{UserID: inviter.UserID, Role: inviter.Role, Status: inviter.Status, Permissions: inviter.Permissions}
	if cat.CheckGrant(actor, domain.Change{NewRole: inv.Role, NewPermissions: inv.Permissions}) != nil {
		return refused
	}
	return nil
}

// Person names someone in a view.
type Person struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// View is an invitation as the API shows it to admins.
type View struct {
	ID             string               `json:"id"`
	Email          string               `json:"email"`
	FirstName      string               `json:"firstName"`
	LastName       string               `json:"lastName"`
	Role           domain.Role          `json:"role"`
	Permissions    domain.PermissionSet `json:"permissions"`
	State          string               `json:"state"`
	Delivery       string               `json:"delivery"`
	DeliveryReason string               `json:"deliveryReason,omitempty"`
	Inviter        Person               `json:"inviter"`
	CreatedAt      time.Time            `json:"createdAt"`
	SentAt         time.Time            `json:"sentAt,omitzero"`
	LastSentAt     time.Time            `json:"lastSentAt,omitzero"`
	ExpiresAt      time.Time            `json:"expiresAt"`
	ResendCount    int                  `json:"resendCount"`
	// ExceedsInviter says the invitation grants more than its inviter may
	// grant now, so accepting it would be refused (worked out on listing).
	ExceedsInviter bool  `json:"exceedsInviter"`
	Version        int64 `json:"version"`
}

// MailDeadline is how long an invitation's email may stay queued: the
// sender has given up well before (its retries end within minutes, the
// record then lands in its dead-letter queue), so an email still queued
// past it is shown failed, and can be resent. Nothing shows queued forever.
const MailDeadline = 15 * time.Minute

// ViewOf returns the view of inv at now: a pending invitation past its
// expiry shows as expired, whether or not TTL has deleted it yet, and an
// email queued past MailDeadline as failed.
func ViewOf(inv domain.Invitation, now time.Time) View {
	state := inv.State
	if state == domain.InvitePending && inv.Expired(now) {
		state = domain.InviteExpired
	}
	delivery, reason := inv.Delivery, inv.DeliveryReason
	if delivery == domain.DeliveryQueued && now.Sub(inv.LastAttemptAt) > MailDeadline {
		delivery, reason = domain.DeliveryFailed, "The email was not sent in time. Resend it."
	}
	return View{
		ID: inv.ID, Email: inv.Email, FirstName: inv.FirstName, LastName: inv.LastName,
		Role: inv.Role, Permissions: inv.Permissions, State: state,
		Delivery: delivery, DeliveryReason: reason,
		Inviter:   Person{ID: inv.InviterID, Name: inv.InviterName, Email: inv.InviterEmail},
		CreatedAt: inv.CreatedAt, SentAt: inv.SentAt, LastSentAt: inv.LastSentAt, ExpiresAt: inv.ExpiresAt,
		ResendCount: inv.ResendCount, Version: inv.Version,
	}
}

// Preview is what the accept page shows before anyone accepts.
type Preview struct {
	AccountName  string               `json:"accountName"`
	InviterName  string               `json:"inviterName"`
	InviterEmail string               `json:"inviterEmail"`
	Email        string               `json:"email"`
	FirstName    string               `json:"firstName"`
	LastName     string               `json:"lastName"`
	Role         domain.Role          `json:"role"`
	Permissions  domain.PermissionSet `json:"permissions"`
	ExpiresAt    time.Time            `json:"expiresAt"`
}
