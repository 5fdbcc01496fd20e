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
		r, err := cat.AssignableRole(*e.Role)
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
		n, err := domain.NormalizeName(*e.FirstName, "firstName", false)
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
	if e.Role != nil || e.Permissions != nil {
		if err := cat.CheckRoleHolds(next.Role, next.Permissions); err != nil {
			return cur, err
		}
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
func CheckEdit(cat *domain.Catalog, actor domain.Actor, cur, next domain.Membership) error {
	ch := diff(cur, next)
	if !ch.grant() && cur.UserID == actor.UserID {
		return nil
	}
	return cat.CheckGrant(actor, domain.Change{
		TargetUserID:   cur.UserID,
		HasCurrent:     true,
		CurrentRole:    cur.Role,
		CurrentStatus:  cur.Status,
		CurrentPerms:   cur.Permissions,
		NewRole:        next.Role,
		NewPermissions: next.Permissions,
	})
}

// EditEvents returns one event per kind of change from cur to next, in a
// fixed order (role, permissions, profile); none for a no-op.
func EditEvents(actor domain.Actor, cur, next domain.Membership, at time.Time) []domain.AuditEvent {
	ch := diff(cur, next)
	var out []domain.AuditEvent
	add := func(e domain.AuditEvent) {
		e.ID = store.NewID()
		out = append(out, e)
	}
	if ch.role {
		add(domain.MemberEvent(actor, domain.ActionMemberRole, next, domain.RoleChange{Role: cur.Role}, domain.RoleChange{Role: next.Role}, at))
	}
	if ch.permissions {
		added, removed := cur.Permissions.Diff(next.Permissions)
		add(domain.MemberEvent(actor, domain.ActionMemberPermissions, next,
			domain.PermissionsChange{Permissions: cur.Permissions, Removed: removed},
			domain.PermissionsChange{Permissions: next.Permissions, Added: added}, at))
	}
	if ch.profile {
		add(domain.MemberEvent(actor, domain.ActionMemberProfile, next,
			domain.ProfileChange{FirstName: cur.FirstName, LastName: cur.LastName},
			domain.ProfileChange{FirstName: next.FirstName, LastName: next.LastName}, at))
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
