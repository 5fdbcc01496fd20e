// Package members is the member management service: listing and searching
// an account's members, editing their permissions, role and names,
// deactivating, reactivating and removing them, and handing over ownership.
// The pure rules (what an edit changes, which events it writes) are in this
// file; service.go applies them against the store.
package members

import (
	"strings"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
)

// Edit is a PATCH of a member: every field but Version is optional.
type Edit struct {
	Version     int64                 `json:"version"`
	Role        *string               `json:"role,omitempty"`
	Permissions *domain.PermissionSet `json:"permissions,omitempty"`
	FirstName   *string               `json:"firstName,omitempty"`
	LastName    *string               `json:"lastName,omitempty"`
}

// Apply returns the membership cur with the edit applied, validated against
// the catalog (permissions normalized, names trimmed). It returns an
// invalid error naming the field at fault: missing_version, invalid_role
// (including owner), unknown_permission, invalid_name.
func (e Edit) Apply(cur domain.Membership, cat *domain.Catalog) (domain.Membership, error) {
	if e.Version <= 0 {
		return cur, domain.CodeMissingVersion.Field("version", "Send the version of the member you edited.")
	}
	next := cur
	if e.Role != nil {
		r, err := domain.ParseAssignableRole(*e.Role)
		if err != nil {
			// The owner's own role reads back as "owner": sending it
			// unchanged is not a change.
			if !(domain.Role(*e.Role) == domain.RoleOwner && cur.Role == domain.RoleOwner) {
				return cur, err
			}
			r = domain.RoleOwner
		}
		next.Role = r
	}
	if e.Permissions != nil {
		p, err := cat.Normalize(*e.Permissions)
		if err != nil {
			return cur, err
		}
		next.Permissions = p
	}
	if e.FirstName != nil {
		n, err := domain.NormalizeName(*e.FirstName, "firstName", true)
		if err != nil {
			return cur, err
		}
		next.FirstName = n
	}
	if e.LastName != nil {
		n, err := domain.NormalizeName(*e.LastName, "lastName", true)
		if err != nil {
			return cur, err
		}
		next.LastName = n
	}
	return next, nil
}

// What an edit changes.
type changes struct {
	role, permissions, profile bool
}

func (c changes) grant() bool { return c.role || c.permissions }
func (c changes) any() bool   { return c.role || c.permissions || c.profile }

func diff(cur, next domain.Membership) changes {
	return changes{
		role:        cur.Role != next.Role,
		permissions: !cur.Permissions.Equal(next.Permissions) || cur.Permissions.All != next.Permissions.All,
		profile:     cur.FirstName != next.FirstName || cur.LastName != next.LastName,
	}
}

// CheckEdit applies the grant rules to an edit of cur into next by actor.
// A change of names only is allowed to the member themself; anything else
// goes through domain.CheckGrant. It returns the forbidden error of the
// rule that refused it, or nil.
func CheckEdit(actor domain.Actor, cur, next domain.Membership) error {
	ch := diff(cur, next)
	if !ch.grant() && cur.UserID == actor.UserID {
		return nil
	}
	return domain.CheckGrant(actor, domain.Change{
		TargetUserID:   cur.UserID,
		HasCurrent:     true,
		CurrentRole:    cur.Role,
		CurrentStatus:  cur.Status,
		CurrentPerms:   cur.Permissions,
		NewRole:        next.Role,
		NewPermissions: next.Permissions,
	})
}

// Target returns the audit target of a member.
func Target(m domain.Membership) domain.EventTarget {
	return domain.EventTarget{Kind: "member", ID: m.UserID, UserID: m.UserID, Email: m.Email, Name: domain.FullName(m.FirstName, m.LastName, m.Email)}
}

// PermissionsChange is the before or after of a permissions_changed event:
// the whole set, and the names added (after) or removed (before).
type PermissionsChange struct {
	Permissions domain.PermissionSet `json:"permissions" dynamodbav:"permissions"`
	Added       []string             `json:"added,omitempty" dynamodbav:"added,omitempty"`
	Removed     []string             `json:"removed,omitempty" dynamodbav:"removed,omitempty"`
}

// RoleChange is the before or after of a role_changed event.
type RoleChange struct {
	Role domain.Role `json:"role" dynamodbav:"role"`
}

// ProfileChange is the before or after of a profile_changed event.
type ProfileChange struct {
	FirstName string `json:"firstName" dynamodbav:"firstName"`
	LastName  string `json:"lastName" dynamodbav:"lastName"`
}

// StatusChange is the before or after of a deactivated, reactivated or
// removed event.
type StatusChange struct {
	Status      domain.MemberStatus  `json:"status,omitempty" dynamodbav:"status,omitempty"`
	Role        domain.Role          `json:"role,omitempty" dynamodbav:"role,omitempty"`
	Permissions domain.PermissionSet `json:"permissions" dynamodbav:"permissions"`
}

// EditEvents returns one event per kind of change from cur to next, in a
// fixed order (role, permissions, profile); none for a no-op.
func EditEvents(actor domain.Actor, cur, next domain.Membership, at time.Time) []domain.AuditEvent {
	ch := diff(cur, next)
	var out []domain.AuditEvent
	ev := func(action string, before, after any) {
		e := domain.EventFor(actor, cur.AccountID, action, at)
		e.ID = store.NewID()
		e.Target = Target(next)
		e.Before, e.After = before, after
		out = append(out, e)
	}
	if ch.role {
		ev(domain.ActionMemberRole, RoleChange{cur.Role}, RoleChange{next.Role})
	}
	if ch.permissions {
		added, removed := cur.Permissions.Diff(next.Permissions)
		ev(domain.ActionMemberPermissions,
			PermissionsChange{Permissions: cur.Permissions, Removed: removed},
			PermissionsChange{Permissions: next.Permissions, Added: added})
	}
	if ch.profile {
		ev(domain.ActionMemberProfile, ProfileChange{cur.FirstName, cur.LastName}, ProfileChange{next.FirstName, next.LastName})
	}
	return out
}

// SearchTerms folds a search string into its words, longest first being
// irrelevant: the store picks the most selective. It returns an invalid
// error with code query_too_long past store.MaxSearchLength.
func SearchTerms(q string) ([]string, error) {
	if len([]rune(q)) > store.MaxSearchLength {
		return nil, domain.CodeQueryTooLong.Field("q", "The search is too long.")
	}
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.Fields(store.FoldSearch(q)) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out, nil
}
