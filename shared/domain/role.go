package domain

// Role is a member's role in an account: owner, admin, or a role the
// deployment names in the catalog.
type Role string

const (
	RoleOwner Role = "owner"
	RoleAdmin Role = "admin"
	// RoleMember is the shipped catalog's third role.
	RoleMember Role = "member"
)

// MemberStatus is the state of a membership.
type MemberStatus string

const (
	StatusActive      MemberStatus = "active"
	StatusDeactivated MemberStatus = "deactivated"
	// StatusRemoved marks the record a removal keeps of a former member: it
	// grants nothing and is not a membership.
	StatusRemoved MemberStatus = "removed"
)

// Actor is who makes a change in an account: the signed-in user with their
// membership there.
type Actor struct {
	UserID      string
	Email       string
	Name        string
	Role        Role
	Status      MemberStatus
	Permissions PermissionSet
	SourceIP    string
	UserAgent   string
	RequestID   string
}

// Effective returns the permissions an actor really holds: the owner always
// holds All, a deactivated member holds nothing.
func (a Actor) Effective() PermissionSet {
	return EffectivePermissions(a.Role, a.Status, a.Permissions)
}

// EffectivePermissions returns what a membership really grants.
func EffectivePermissions(role Role, status MemberStatus, p PermissionSet) PermissionSet {
	if status != StatusActive {
		return PermissionSet{}
	}
	if role == RoleOwner {
		return PermissionSet{All: true}
	}
	return p
}

// Can reports whether the actor holds the named permission.
func (a Actor) Can(name string) bool { return a.Effective().Allows(name) }
