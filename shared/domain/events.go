package domain

import "time"

// Audit events are built here, one constructor per kind of change, each
// with its typed payloads (the before and after the history shows), so that
// an event's shape is written once.

// Audit actions.
const (
	ActionAccountCreated      = "account.created"
	ActionAccountRenamed      = "account.renamed"
	ActionMemberSignedIn      = "member.signed_in"
	ActionInvitationCreated   = "invitation.created"
	ActionInvitationEdited    = "invitation.edited"
	ActionInvitationResent    = "invitation.resent"
	ActionInvitationRevoked   = "invitation.revoked"
	ActionInvitationAccepted  = "invitation.accepted"
	ActionInvitationExpired   = "invitation.expired"
	ActionMemberPermissions   = "member.permissions_changed"
	ActionMemberRole          = "member.role_changed"
	ActionMemberProfile       = "member.profile_changed"
	ActionMemberDeactivated   = "member.deactivated"
	ActionMemberReactivated   = "member.reactivated"
	ActionMemberRemoved       = "member.removed"
	ActionOwnershipHandedOver = "account.ownership_transferred"
)

// EventFor returns an event by actor in account, stamped with the actor's
// request details, without target or payload: the constructors below
// build every event of the product from it.
func EventFor(actor Actor, accountID, action string, at time.Time) AuditEvent {
	return AuditEvent{
		AccountID: accountID,
		At:        at,
		Actor:     EventActor{UserID: actor.UserID, Email: actor.Email, Name: actor.Name},
		Action:    action,
		RequestID: actor.RequestID,
		SourceIP:  actor.SourceIP,
		UserAgent: actor.UserAgent,
	}
}

// event is EventFor with the target and payloads set.
func event(actor Actor, accountID, action string, at time.Time, target EventTarget, before, after any) AuditEvent {
	e := EventFor(actor, accountID, action, at)
	e.Target, e.Before, e.After = target, before, after
	return e
}

// Targets.

// MemberTarget is a member as the target of an event.
func MemberTarget(m Membership) EventTarget {
	return EventTarget{Kind: "member", ID: m.UserID, UserID: m.UserID, Email: m.Email, Name: FullName(m.FirstName, m.LastName, m.Email)}
}

// InvitationTarget is an invitation as the target of an event.
func InvitationTarget(inv Invitation) EventTarget {
	return EventTarget{Kind: "invitation", ID: inv.ID, Email: inv.Email, Name: FullName(inv.FirstName, inv.LastName, "")}
}

// AccountTarget is an account as the target of an event.
func AccountTarget(id, name string) EventTarget {
	return EventTarget{Kind: "account", ID: id, Name: name}
}

// Payloads.

// NameChange is the before or after of an account's name.
type NameChange struct {
	Name string `json:"name" dynamodbav:"name"`
}

// OwnerChange is the before or after of an ownership handover (of the
// account, or of a project, which names the owner too).
type OwnerChange struct {
	OwnerID   string `json:"ownerId" dynamodbav:"ownerId"`
	OwnerName string `json:"ownerName,omitempty" dynamodbav:"ownerName,omitempty"`
}

// PermissionsChange is the before or after of a permissions_changed event:
// the whole set, and the names added (after) or removed (before).
type PermissionsChange struct {
	Permissions PermissionSet `json:"permissions" dynamodbav:"permissions"`
	Added       []string      `json:"added,omitempty" dynamodbav:"added,omitempty"`
	Removed     []string      `json:"removed,omitempty" dynamodbav:"removed,omitempty"`
}

// RoleChange is the before or after of a role_changed event.
type RoleChange struct {
	Role Role `json:"role" dynamodbav:"role"`
}

// ProfileChange is the before or after of a profile_changed event.
type ProfileChange struct {
	FirstName string `json:"firstName" dynamodbav:"firstName"`
	LastName  string `json:"lastName" dynamodbav:"lastName"`
}

// StatusChange is the before or after of a deactivated, reactivated or
// removed event.
type StatusChange struct {
	Status      MemberStatus  `json:"status,omitempty" dynamodbav:"status,omitempty"`
	Role        Role          `json:"role,omitempty" dynamodbav:"role,omitempty"`
	Permissions PermissionSet `json:"permissions" dynamodbav:"permissions"`
}

// InvitationGrant is the before or after of an invitation's event: whom it
// names and what it grants.
type InvitationGrant struct {
	FirstName   string        `dynamodbav:"firstName" json:"firstName"`
	LastName    string        `dynamodbav:"lastName" json:"lastName"`
	Role        Role          `dynamodbav:"role" json:"role"`
	Permissions PermissionSet `dynamodbav:"permissions" json:"permissions"`
}

// InvitationState is the before or after of an invitation's expiry.
type InvitationState struct {
	State string `dynamodbav:"state" json:"state"`
}

// InvitationAcceptance is the after of invitation.accepted: which
// invitation, who sent it (with the name, for the history's readable line
// "Invited by: Ada Lovelace") and what it granted.
type InvitationAcceptance struct {
	InvitationID  string        `dynamodbav:"invitationId" json:"invitationId"`
	InvitedBy     string        `dynamodbav:"invitedBy" json:"invitedBy"`
	InvitedByName string        `dynamodbav:"invitedByName" json:"invitedByName"`
	Role          Role          `dynamodbav:"role" json:"role"`
	Permissions   PermissionSet `dynamodbav:"permissions" json:"permissions"`
}

// Events of accounts.

// AccountCreated is account.created.
func AccountCreated(actor Actor, id, name string, at time.Time) AuditEvent {
	return event(actor, id, ActionAccountCreated, at, AccountTarget(id, name), nil, NameChange{name})
}

// AccountRenamed is account.renamed.
func AccountRenamed(actor Actor, id, before, after string, at time.Time) AuditEvent {
	return event(actor, id, ActionAccountRenamed, at, AccountTarget(id, after), NameChange{before}, NameChange{after})
}

// OwnershipHandedOver is account.ownership_transferred from owner to heir.
func OwnershipHandedOver(actor Actor, owner, heir Membership, at time.Time) AuditEvent {
	return event(actor, heir.AccountID, ActionOwnershipHandedOver, at, MemberTarget(heir), OwnerChange{OwnerID: owner.UserID}, OwnerChange{OwnerID: heir.UserID})
}

// Events of members.

// MemberEvent is a change of a member's role, permissions or profile
// (member.role_changed, member.permissions_changed,
// member.profile_changed) with its payloads.
func MemberEvent[P RoleChange | PermissionsChange | ProfileChange](actor Actor, action string, m Membership, before, after P, at time.Time) AuditEvent {
	return event(actor, m.AccountID, action, at, MemberTarget(m), before, after)
}

// MemberStatusChanged is member.deactivated or member.reactivated (from cur
// to next), or member.removed (next zero: no after).
func MemberStatusChanged(actor Actor, action string, cur, next Membership, at time.Time) AuditEvent {
	var after any
	if next.UserID != "" {
		after = StatusChange{Status: next.Status, Role: next.Role, Permissions: next.Permissions}
	}
	return event(actor, cur.AccountID, action, at, MemberTarget(cur), StatusChange{Status: cur.Status, Role: cur.Role, Permissions: cur.Permissions}, after)
}

// MemberSignedIn is member.signed_in in the account of m.
func MemberSignedIn(actor Actor, m Membership, at time.Time) AuditEvent {
	return event(actor, m.AccountID, ActionMemberSignedIn, at, MemberTarget(m), nil, nil)
}

// ProfileChanged is member.profile_changed when a user renames
// themselves: m is the membership as it was, first and last the new names.
func ProfileChanged(actor Actor, m Membership, first, last string, at time.Time) AuditEvent {
	renamed := m
	renamed.FirstName, renamed.LastName = first, last
	return event(actor, m.AccountID, ActionMemberProfile, at, MemberTarget(renamed),
		ProfileChange{m.FirstName, m.LastName}, ProfileChange{first, last})
}

// Events of invitations.

// GrantOf is what an invitation names and grants, as its events record it.
func GrantOf(inv Invitation) InvitationGrant {
	return InvitationGrant{FirstName: inv.FirstName, LastName: inv.LastName, Role: inv.Role, Permissions: inv.Permissions}
}

// InvitationCreated is invitation.created.
func InvitationCreated(actor Actor, inv Invitation, at time.Time) AuditEvent {
	return event(actor, inv.AccountID, ActionInvitationCreated, at, InvitationTarget(inv), nil, GrantOf(inv))
}

// InvitationEdited is invitation.edited from before to after.
func InvitationEdited(actor Actor, before, after Invitation, at time.Time) AuditEvent {
	return event(actor, after.AccountID, ActionInvitationEdited, at, InvitationTarget(after), GrantOf(before), GrantOf(after))
}

// InvitationRevoked is invitation.revoked.
func InvitationRevoked(actor Actor, inv Invitation, at time.Time) AuditEvent {
	return event(actor, inv.AccountID, ActionInvitationRevoked, at, InvitationTarget(inv), GrantOf(inv), nil)
}

// InvitationResent is invitation.resent.
func InvitationResent(actor Actor, inv Invitation, at time.Time) AuditEvent {
	return event(actor, inv.AccountID, ActionInvitationResent, at, InvitationTarget(inv), nil, nil)
}

// InvitationAccepted is invitation.accepted by the user u, now a member.
func InvitationAccepted(actor Actor, inv Invitation, u User, at time.Time) AuditEvent {
	target := EventTarget{Kind: "member", ID: u.ID, UserID: u.ID, Email: u.Email, Name: u.Name()}
	return event(actor, inv.AccountID, ActionInvitationAccepted, at, target, nil,
		InvitationAcceptance{InvitationID: inv.ID, InvitedBy: inv.InviterID, InvitedByName: inv.InviterName, Role: inv.Role, Permissions: inv.Permissions})
}

// InvitationExpired is invitation.expired: a system event dated at the
// expiry, with an id derived from the invitation and the expiry (id), so
// that every path that writes it writes the same item, once.
func InvitationExpired(id string, inv Invitation) AuditEvent {
	return AuditEvent{ID: id, AccountID: inv.AccountID, At: inv.ExpiresAt,
		Actor: EventActor{System: true, Name: "Roster"}, Action: ActionInvitationExpired, Target: InvitationTarget(inv),
		Before: InvitationState{InvitePending}, After: InvitationState{InviteExpired}}
}
