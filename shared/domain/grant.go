package domain

// Change describes a grant being made: a new invitation (no current state) or
// an edit of a member or pending invitation.
type Change struct {
	// TargetUserID is the member's user id; empty for an invitation.
	TargetUserID string
	// HasCurrent is true when the target exists already (edit, not create).
	HasCurrent     bool
	CurrentRole    Role
	CurrentStatus  MemberStatus
	CurrentPerms   PermissionSet
	NewRole        Role
	NewPermissions PermissionSet
}

// CheckGrant applies Roster's grant rules to a change made by actor. It
// returns a forbidden error that says which rule refused it, or nil:
//   - the actor holds users.manage;
//   - nobody but the owner edits the owner, and ownership is not granted here;
//   - only an active member's role changes;
//   - nobody raises their own permissions or role (a role earlier in the catalog);
//   - All is granted only by an actor that holds All;
//   - the target's current and new permissions are each within the actor's own.
func (cat *Catalog) CheckGrant(actor Actor, c Change) error {
	mine := actor.Effective()
	if !mine.Allows(PermUsersManage) {
		return CodeMissingPermission.Msg("You need the Account administration: manage permission to invite or change members.")
	}
	if c.HasCurrent && c.CurrentRole == RoleOwner {
		if c.TargetUserID != actor.UserID {
			return CodeOwnerProtected.Msg("Only the owner can change the owner.")
		}
		return CodeOwnerProtected.Msg("The owner always has full access; hand over ownership first to change your own role.")
	}
	if c.NewRole == RoleOwner {
		return CodeOwnerRole.Msg("The owner role cannot be given; the owner can hand over ownership instead.")
	}
	if c.HasCurrent && c.CurrentStatus != "" && c.CurrentStatus != StatusActive && c.NewRole != c.CurrentRole {
		return CodeMemberNotActive.Msg("The role of a deactivated member cannot be changed; reactivate them first.")
	}
	self := c.TargetUserID != "" && c.TargetUserID == actor.UserID
	if self {
		if !c.NewPermissions.Within(c.CurrentPerms) || cat.Outranks(c.NewRole, c.CurrentRole) {
			return CodeSelfEscalation.Msg("You cannot raise your own permissions or role.")
		}
	}
	if c.HasCurrent && !c.CurrentPerms.Within(mine) {
		return CodeTargetExceedsActor.Msg("This member has permissions you do not have, so you cannot change them.")
	}
	if c.NewPermissions.All && !mine.All {
		return CodeGrantAll.Msg("Only someone with All permissions can grant All.")
	}
	if !c.NewPermissions.Within(mine) {
		return CodeGrantExceedsActor.Msg("You cannot grant permissions you do not have yourself.")
	}
	return nil
}

// CheckManage applies the rules for acting on a member without changing its
// grant (deactivate, reactivate, remove): the actor holds users.manage, the
// target is not the owner, and the target's permissions are within the actor's.
func CheckManage(actor Actor, targetRole Role, targetPerms PermissionSet) error {
	mine := actor.Effective()
	if !mine.Allows(PermUsersManage) {
		return CodeMissingPermission.Msg("You need the Account administration: manage permission to change members.")
	}
	if targetRole == RoleOwner {
		return CodeOwnerProtected.Msg("The owner cannot be deactivated or removed.")
	}
	if !targetPerms.Within(mine) {
		return CodeTargetExceedsActor.Msg("This member has permissions you do not have, so you cannot change them.")
	}
	return nil
}
