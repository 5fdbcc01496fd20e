package projects

import (
	"context"
	"errors"
	"slices"

	"roster/shared/domain"
	"roster/shared/store"
)

// Member is a member of a project.
type Member struct {
	UserID    string `json:"userId"`
	Email     string `json:"email"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Owner     bool   `json:"owner"`
}

// MemberPage is a page of a project's members.
type MemberPage struct {
	Items []Member `json:"items"`
	Next  string   `json:"next,omitempty"`
}

// Members returns a page of the project's members (one Query and one
// BatchGetItem of their memberships). It needs projects.view.
func (s *Service) Members(ctx context.Context, actor domain.Actor, accountID, projectID, cursor string) (MemberPage, error) {
	if !actor.Can(domain.PermProjectsView) {
		return MemberPage{}, errView
	}
	p, err := s.load(ctx, accountID, projectID)
	if err != nil {
		return MemberPage{}, err
	}
	scope := "project-members:" + accountID + ":" + projectID
	after, err := decodeCursor(cursor, scope)
	if err != nil {
		return MemberPage{}, err
	}
	page, err := s.store.ProjectMemberIDs(ctx, accountID, projectID, after, PageSize)
	if err != nil {
		return MemberPage{}, err
	}
	byID, err := s.store.MembershipsByID(ctx, accountID, page.IDs)
	if err != nil {
		return MemberPage{}, err
	}
	out := MemberPage{Items: make([]Member, 0, len(page.IDs)), Next: encodeCursor(scope, page.Next)}
	for _, id := range page.IDs {
		m, ok := byID[id]
		if !ok {
			continue
		}
		out.Items = append(out.Items, Member{UserID: id, Email: m.Email, FirstName: m.FirstName, LastName: m.LastName, Owner: id == p.OwnerID})
	}
	return out, nil
}

// Assignment is one of a member's projects.
type Assignment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Owner       bool   `json:"owner"`
	MemberCount int    `json:"memberCount"`
	Version     int64  `json:"version"`
}

// AssignmentPage is a page of a member's projects.
type AssignmentPage struct {
	Items []Assignment `json:"items"`
	Next  string       `json:"next,omitempty"`
}

// MemberProjects returns a page of the member's projects with whether they
// own each (one Query and one BatchGetItem of the projects). It needs
// projects.view, except for the member themself; not_found
// member_not_found for a user who is no member of the account.
func (s *Service) MemberProjects(ctx context.Context, actor domain.Actor, accountID, userID, cursor string) (AssignmentPage, error) {
	if userID != actor.UserID && !actor.Can(domain.PermProjectsView) {
		return AssignmentPage{}, errView
	}
	if _, err := s.store.GetMembership(ctx, accountID, userID); errors.Is(err, store.ErrNotFound) {
		return AssignmentPage{}, errNoMember
	} else if err != nil {
		return AssignmentPage{}, err
	}
	scope := "member-projects:" + accountID + ":" + userID
	after, err := decodeCursor(cursor, scope)
	if err != nil {
		return AssignmentPage{}, err
	}
	page, err := s.store.MemberProjectIDs(ctx, accountID, userID, after, PageSize)
	if errors.Is(err, store.ErrBadPosition) {
		return AssignmentPage{}, errCursor
	}
	if err != nil {
		return AssignmentPage{}, err
	}
	byID, err := s.store.ProjectsByID(ctx, accountID, page.IDs)
	if err != nil {
		return AssignmentPage{}, err
	}
	out := AssignmentPage{Items: make([]Assignment, 0, len(page.IDs)), Next: encodeCursor(scope, page.Next)}
	for _, id := range page.IDs {
		if p, ok := byID[id]; ok {
			out.Items = append(out.Items, Assignment{ID: p.ID, Name: p.Name, Owner: p.OwnerID == userID, MemberCount: p.MemberCount, Version: p.Version})
		}
	}
	slices.SortStableFunc(out.Items, func(a, b Assignment) int { return compareFold(a.Name, b.Name) })
	return out, nil
}

// AddMember assigns an active member to the project, with its
// project.member_added event; a member assigned already is no change (the
// answer is the same). It returns forbidden missing_permission, not_found
// project_not_found or member_not_found, forbidden member_not_active.
func (s *Service) AddMember(ctx context.Context, actor domain.Actor, accountID, projectID, userID string) (Member, error) {
	if !actor.Can(domain.PermProjectsManage) {
		return Member{}, errManage
	}
	p, err := s.load(ctx, accountID, projectID)
	if err != nil {
		return Member{}, err
	}
	m, err := s.store.GetMembership(ctx, accountID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return Member{}, errNoMember
	}
	if err != nil {
		return Member{}, err
	}
	view := Member{UserID: m.UserID, Email: m.Email, FirstName: m.FirstName, LastName: m.LastName, Owner: p.OwnerID == m.UserID}
	if in, err := s.store.IsProjectMember(ctx, accountID, projectID, userID); err != nil || in {
		return view, err
	}
	if m.Status != domain.StatusActive {
		return Member{}, errInactive
	}
	err = s.store.AddProjectMember(ctx, p, m, domain.ProjectMemberAdded(actor, p, m, s.now().UTC()))
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotActiveMember) {
		// Assigned, deactivated or deleted meanwhile: answer as things are.
		if in, rerr := s.store.IsProjectMember(ctx, accountID, projectID, userID); rerr == nil && in {
			return view, nil
		}
		return Member{}, domain.CodeConflict.Msg("The project or the member changed at the same moment. Reload and try again.")
	}
	return view, err
}

// RemoveMember ends a member's assignment to the project, with its
// project.member_removed event; a member not assigned is no change. The
// owner stays assigned. It returns forbidden missing_permission, not_found
// project_not_found or member_not_found, conflict project_owner.
func (s *Service) RemoveMember(ctx context.Context, actor domain.Actor, accountID, projectID, userID string) error {
	if !actor.Can(domain.PermProjectsManage) {
		return errManage
	}
	p, err := s.load(ctx, accountID, projectID)
	if err != nil {
		return err
	}
	if p.OwnerID == userID {
		return domain.CodeProjectOwner.Msg("The owner of a project stays assigned to it; give the project another owner first.")
	}
	m, err := s.store.GetMembership(ctx, accountID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return errNoMember
	}
	if err != nil {
		return err
	}
	if in, err := s.store.IsProjectMember(ctx, accountID, projectID, userID); err != nil || !in {
		return err
	}
	err = s.store.RemoveProjectMember(ctx, p, m, domain.ProjectMemberRemoved(actor, p, m, s.now().UTC()))
	if errors.Is(err, store.ErrConflict) {
		if in, rerr := s.store.IsProjectMember(ctx, accountID, projectID, userID); rerr == nil && !in {
			return nil
		}
		return domain.CodeConflict.Msg("The project or the member changed at the same moment. Reload and try again.")
	}
	return err
}
