package members

import (
	"context"
	"errors"
	"slices"

	"roster/shared/domain"
	"roster/shared/store"
)

// TransferInput is the body of a transfer: the member's version in the
// source, the destination, and the role and permissions there.
type TransferInput struct {
	Version     int64                 `json:"version"`
	ToAccountID string                `json:"toAccountId"`
	Role        string                `json:"role"`
	Permissions *domain.PermissionSet `json:"permissions"`
}

// Transfer moves a member from the source account (where actor acts) to
// the destination (where dest is the same user's actor) in one
// transaction: the member leaves the source as a removal would and becomes
// an active member of the destination with the role and permissions given;
// the projects they own move with them, the other members' assignments to
// those ending; their assignments to projects they do not own end. Their
// login, sessions and other accounts are untouched. Both accounts' histories
// get the event. It returns invalid missing_version, same_account or the
// role's and permissions' errors; forbidden owner_protected for the account
// owner, and the grant rules' errors in either account; not_found
// member_not_found; conflict already_member, stale_version,
// project_too_large or project_name_taken.
func (s *Service) Transfer(ctx context.Context, actor, dest domain.Actor, accountID, userID string, in TransferInput) (Member, error) {
	if in.Version <= 0 {
		return Member{}, domain.CodeMissingVersion.Field("version", "Send the version of the member you transfer.")
	}
	if in.ToAccountID == accountID {
		return Member{}, domain.CodeSameAccount.Field("toAccountId", "Choose another account to transfer the member to.")
	}
	role, err := s.catalog.AssignableRole(in.Role)
	if err != nil {
		return Member{}, err
	}
	if in.Permissions == nil {
		return Member{}, domain.CodeMissingPermissions.Field("permissions", "Choose All or a set of permissions for the other account.")
	}
	perms, err := s.catalog.Normalize(*in.Permissions)
	if err == nil {
		err = s.catalog.CheckRoleHolds(role, perms)
	}
	if err != nil {
		return Member{}, err
	}
	from, err := s.load(ctx, accountID, userID)
	if err != nil {
		return Member{}, err
	}
	if from.Role == domain.RoleOwner {
		return Member{}, domain.CodeOwnerProtected.Msg("The account's owner cannot be transferred; hand over ownership first.")
	}
	if err := domain.CheckManage(actor, from.Role, from.Permissions); err != nil {
		return Member{}, err
	}
	if err := s.catalog.CheckGrant(dest, domain.Change{TargetUserID: userID, NewRole: role, NewPermissions: perms}); err != nil {
		return Member{}, err
	}
	if from.Version != in.Version {
		return Member{}, staleError(from)
	}
	if _, err := s.store.GetMembership(ctx, in.ToAccountID, userID); err == nil {
		return Member{}, errAlreadyMember
	} else if !errors.Is(err, store.ErrNotFound) {
		return Member{}, err
	}
	names, err := s.store.AccountNames(ctx, []string{accountID, in.ToAccountID})
	if err != nil {
		return Member{}, err
	}
	now := s.store.Now()
	to := domain.Membership{AccountID: in.ToAccountID, AccountName: names[in.ToAccountID], UserID: userID, Email: from.Email,
		FirstName: from.FirstName, LastName: from.LastName, Role: role, Permissions: perms, Status: domain.StatusActive,
		JoinedAt: now, LastLoginAt: from.LastLoginAt}
	t := store.MemberTransfer{From: from, To: to}
	record := domain.Transfer{FromAccountID: accountID, FromAccountName: names[accountID], ToAccountID: in.ToAccountID,
		ToAccountName: names[in.ToAccountID], Role: role, Permissions: perms}

	owned, err := s.store.ProjectsOwnedBy(ctx, accountID, userID, maxHandover+1)
	if err != nil {
		return Member{}, err
	}
	page, err := s.store.MemberProjectIDs(ctx, accountID, userID, "", maxHandover+1)
	if err != nil {
		return Member{}, err
	}
	if len(page.IDs) > maxHandover || len(owned) > maxHandover {
		return Member{}, tooManyProjects()
	}
	projects, err := s.store.ProjectsByID(ctx, accountID, page.IDs)
	if err != nil {
		return Member{}, err
	}
	for _, id := range page.IDs {
		p, ok := projects[id]
		if !ok {
			continue
		}
		if !slices.Contains(owned, id) {
			t.Assigned = append(t.Assigned, p)
			record.LeftProjects = append(record.LeftProjects, p.Name)
			continue
		}
		o := store.OwnedProject{Project: p}
		if p.MemberCount <= 1 { // only the member: no other assignment to end
			t.Owned = append(t.Owned, o)
			record.MovedProjects = append(record.MovedProjects, p.Name)
			continue
		}
		others, err := s.store.ProjectMemberIDs(ctx, accountID, id, "", store.MaxDeletableMembers+1)
		if err != nil {
			return Member{}, err
		}
		if len(others.IDs) > store.MaxDeletableMembers {
			return Member{}, tooManyProjects()
		}
		ids := slices.DeleteFunc(others.IDs, func(u string) bool { return u == userID })
		byID, err := s.store.MembershipsByID(ctx, accountID, ids)
		if err != nil {
			return Member{}, err
		}
		for _, u := range ids {
			if m, ok := byID[u]; ok {
				o.Others = append(o.Others, m)
				record.EndedMembers = append(record.EndedMembers, m.Name()+" ("+p.Name+")")
			}
		}
		t.Owned = append(t.Owned, o)
		record.MovedProjects = append(record.MovedProjects, p.Name)
	}
	t.Events = []domain.AuditEvent{
		domain.MemberTransferredOut(actor, from, record, now),
		domain.MemberTransferredIn(dest, to, record, now),
	}
	err = s.store.TransferMember(ctx, t)
	switch {
	case errors.Is(err, store.ErrAlreadyMember):
		return Member{}, errAlreadyMember
	case errors.Is(err, store.ErrProjectTooLarge):
		return Member{}, tooManyProjects()
	case errors.Is(err, store.ErrProjectNameTaken):
		return Member{}, domain.CodeProjectNameTaken.Msg("A project the member owns has the name of a project of the other account. Rename one of them first.")
	case errors.Is(err, store.ErrConflict):
		return Member{}, s.stale(ctx, accountID, userID)
	case err != nil:
		return Member{}, err
	}
	to.Version, to.ProjectCount = 1, len(t.Owned)
	return View(to), nil
}

var errAlreadyMember = domain.CodeAlreadyMember.Msg("This person is a member of the other account already.")
