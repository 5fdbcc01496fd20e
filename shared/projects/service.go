// Package projects is the service of an account's projects: listing and
// reading them (projects.view), creating, renaming, changing the owner of
// and deleting them, and assigning members (projects.manage). A project's
// owner and members are active members of its account; every change and
// its history event are one transaction.
package projects

import (
	"context"
	"errors"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
)

// Store is what the service reads and writes.
type Store interface {
	GetProject(ctx context.Context, accountID, projectID string) (domain.Project, error)
	ListProjects(ctx context.Context, accountID, prefix, after string, limit int) (store.ProjectPage, error)
	ProjectMemberIDs(ctx context.Context, accountID, projectID, after string, limit int) (store.IDPage, error)
	MemberProjectIDs(ctx context.Context, accountID, userID, after string, limit int) (store.IDPage, error)
	ProjectsByID(ctx context.Context, accountID string, ids []string) (map[string]domain.Project, error)
	MembershipsByID(ctx context.Context, accountID string, ids []string) (map[string]domain.Membership, error)
	GetMembership(ctx context.Context, accountID, userID string) (domain.Membership, error)
	IsProjectMember(ctx context.Context, accountID, projectID, userID string) (bool, error)
	CreateProject(ctx context.Context, p domain.Project, owner domain.Membership, ev domain.AuditEvent) error
	EditProject(ctx context.Context, c store.ProjectChange) (domain.Project, error)
	DeleteProject(ctx context.Context, p domain.Project, members []domain.Membership, ev domain.AuditEvent) error
	AddProjectMember(ctx context.Context, p domain.Project, m domain.Membership, ev domain.AuditEvent) error
	RemoveProjectMember(ctx context.Context, p domain.Project, m domain.Membership, ev domain.AuditEvent) error
}

// PageSize is the size of every page of projects and of their members.
const PageSize = 50

// Service applies the project rules over a store.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the service over s.
func NewService(s Store) *Service { return &Service{store: s, now: time.Now} }

// The refusals of the service.
var (
	errNoProject = domain.CodeProjectNotFound.Msg("There is no such project in this account.")
	errNoMember  = domain.CodeMemberNotFound.Msg("There is no such member in this account.")
	errView      = domain.CodeMissingPermission.Msg("You need the Projects: view permission to see projects.")
	errManage    = domain.CodeMissingPermission.Msg("You need the Projects: manage permission to change projects.")
	errOwner     = domain.CodeInvalidOwner.Field("ownerId", "The owner must be an active member of this account.")
	errInactive  = domain.CodeMemberNotActive.Msg("Only active members can be assigned to projects.")
	errNoVersion = domain.CodeMissingVersion.Field("version", "Send the version of the project you edited.")
	errNameTaken = domain.CodeProjectNameTaken.Field("name", "Another project of this account has this name.")
)

// View is a project as the API shows it.
type View struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	OwnerID     string    `json:"ownerId"`
	OwnerName   string    `json:"ownerName"`
	MemberCount int       `json:"memberCount"`
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"createdAt"`
}

// Page is a page of projects.
type Page struct {
	Items []View `json:"items"`
	Next  string `json:"next,omitempty"`
}

// views names the owners of ps (one BatchGetItem of their memberships).
func (s *Service) views(ctx context.Context, accountID string, ps []domain.Project) ([]View, error) {
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.OwnerID)
	}
	owners, err := s.store.MembershipsByID(ctx, accountID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(ps))
	for _, p := range ps {
		out = append(out, View{ID: p.ID, Name: p.Name, OwnerID: p.OwnerID, OwnerName: owners[p.OwnerID].Name(),
			MemberCount: p.MemberCount, Version: p.Version, CreatedAt: p.CreatedAt})
	}
	return out, nil
}

// List returns a page of the account's projects in name order, those whose
// name starts with q when given: one Query and one BatchGetItem of owners.
// It returns forbidden missing_permission without projects.view and
// invalid invalid_cursor for a cursor of another list.
func (s *Service) List(ctx context.Context, actor domain.Actor, accountID, q, cursor string) (Page, error) {
	if !actor.Can(domain.PermProjectsView) {
		return Page{}, errView
	}
	prefix := store.FoldSearch(q)
	scope := "projects:" + accountID + ":" + prefix
	after, err := decodeCursor(cursor, scope)
	if err != nil {
		return Page{}, err
	}
	page, err := s.store.ListProjects(ctx, accountID, prefix, after, PageSize)
	if errors.Is(err, store.ErrBadPosition) {
		return Page{}, errCursor
	}
	if err != nil {
		return Page{}, err
	}
	items, err := s.views(ctx, accountID, page.Items)
	if err != nil {
		return Page{}, err
	}
	return Page{Items: items, Next: encodeCursor(scope, page.Next)}, nil
}

// load reads a project of the account: not_found project_not_found.
func (s *Service) load(ctx context.Context, accountID, projectID string) (domain.Project, error) {
	p, err := s.store.GetProject(ctx, accountID, projectID)
	if errors.Is(err, store.ErrNotFound) {
		return p, errNoProject
	}
	return p, err
}

// Get returns one project. It needs projects.view.
func (s *Service) Get(ctx context.Context, actor domain.Actor, accountID, projectID string) (View, error) {
	if !actor.Can(domain.PermProjectsView) {
		return View{}, errView
	}
	p, err := s.load(ctx, accountID, projectID)
	if err != nil {
		return View{}, err
	}
	vs, err := s.views(ctx, accountID, []domain.Project{p})
	if err != nil {
		return View{}, err
	}
	return vs[0], nil
}

// activeMember reads a membership that must be active: refusal otherwise.
func (s *Service) activeMember(ctx context.Context, accountID, userID string, refusal error) (domain.Membership, error) {
	if userID == "" {
		return domain.Membership{}, refusal
	}
	m, err := s.store.GetMembership(ctx, accountID, userID)
	if errors.Is(err, store.ErrNotFound) || err == nil && m.Status != domain.StatusActive {
		return domain.Membership{}, refusal
	}
	return m, err
}

// Creation is the body of a new project.
type Creation struct {
	Name    string `json:"name"`
	OwnerID string `json:"ownerId"`
}

// Create makes a project owned by an active member, who is its first
// member, with its project.created event. Names are unique in the account
// (case and accents aside). It returns forbidden missing_permission without
// projects.manage, invalid invalid_name or invalid_owner, conflict
// project_name_taken.
func (s *Service) Create(ctx context.Context, actor domain.Actor, accountID string, in Creation) (View, error) {
	if !actor.Can(domain.PermProjectsManage) {
		return View{}, errManage
	}
	name, err := domain.NormalizeName(in.Name, "name", false)
	if err != nil {
		return View{}, err
	}
	owner, err := s.activeMember(ctx, accountID, in.OwnerID, errOwner)
	if err != nil {
		return View{}, err
	}
	now := s.now().UTC()
	p := domain.Project{ID: store.NewID(), AccountID: accountID, Name: name, OwnerID: owner.UserID, CreatedAt: now}
	err = s.store.CreateProject(ctx, p, owner, domain.ProjectCreated(actor, p, owner, now))
	switch {
	case errors.Is(err, store.ErrNotActiveMember):
		return View{}, errOwner
	case errors.Is(err, store.ErrProjectNameTaken):
		return View{}, errNameTaken
	case err != nil:
		return View{}, err
	}
	p.Version, p.MemberCount = 1, 1
	return View{ID: p.ID, Name: p.Name, OwnerID: p.OwnerID, OwnerName: owner.Name(), MemberCount: 1, Version: 1, CreatedAt: now}, nil
}

// Edit is the body of a project's edit: its version, a new name, a new
// owner (an active member), or both.
type Edit struct {
	Version *int64  `json:"version"`
	Name    *string `json:"name"`
	OwnerID *string `json:"ownerId"`
}

// Update renames the project or gives it a new owner (who joins it if not a
// member yet), with project.renamed and project.owner_changed events, in one
// transaction conditional on the version. It returns forbidden
// missing_permission, invalid missing_version, invalid_name or
// invalid_owner, not_found project_not_found, or conflict stale_version
// with the current project.
func (s *Service) Update(ctx context.Context, actor domain.Actor, accountID, projectID string, in Edit) (View, error) {
	if !actor.Can(domain.PermProjectsManage) {
		return View{}, errManage
	}
	if in.Version == nil {
		return View{}, errNoVersion
	}
	var name string
	if in.Name != nil {
		n, err := domain.NormalizeName(*in.Name, "name", false)
		if err != nil {
			return View{}, err
		}
		name = n
	}
	cur, err := s.load(ctx, accountID, projectID)
	if err != nil {
		return View{}, err
	}
	if cur.Version != *in.Version {
		return View{}, s.stale(ctx, cur)
	}
	now := s.now().UTC()
	c := store.ProjectChange{Prev: cur, Next: cur}
	if in.Name != nil && name != cur.Name {
		c.Next.Name = name
		c.Events = append(c.Events, domain.ProjectRenamed(actor, cur, c.Next, now))
	}
	if in.OwnerID != nil && *in.OwnerID != cur.OwnerID {
		to, err := s.activeMember(ctx, accountID, *in.OwnerID, errOwner)
		if err != nil {
			return View{}, err
		}
		from, err := s.store.GetMembership(ctx, accountID, cur.OwnerID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return View{}, err
		}
		joined, err := s.store.IsProjectMember(ctx, accountID, projectID, to.UserID)
		if err != nil {
			return View{}, err
		}
		c.Next.OwnerID, c.NewOwner, c.Joins = to.UserID, &to, !joined
		c.Events = append(c.Events, domain.ProjectOwnerChanged(actor, c.Next, from, to, now))
		if c.Joins {
			c.Events = append(c.Events, domain.ProjectMemberAdded(actor, c.Next, to, now))
		}
	}
	if len(c.Events) == 0 {
		vs, err := s.views(ctx, accountID, []domain.Project{cur})
		if err != nil {
			return View{}, err
		}
		return vs[0], nil
	}
	next, err := s.store.EditProject(ctx, c)
	switch {
	case errors.Is(err, store.ErrNotActiveMember):
		return View{}, errOwner
	case errors.Is(err, store.ErrProjectNameTaken):
		return View{}, errNameTaken
	case errors.Is(err, store.ErrConflict):
		return View{}, s.staleNow(ctx, accountID, projectID)
	case err != nil:
		return View{}, err
	}
	vs, err := s.views(ctx, accountID, []domain.Project{next})
	if err != nil {
		return View{}, err
	}
	return vs[0], nil
}

// Delete deletes the project at version: every assignment to it ends, named
// in its project.deleted event, in one transaction. It returns forbidden
// missing_permission, invalid missing_version, not_found, conflict
// stale_version, or conflict project_too_large past
// store.MaxDeletableMembers members (remove members first).
func (s *Service) Delete(ctx context.Context, actor domain.Actor, accountID, projectID string, version int64) error {
	if !actor.Can(domain.PermProjectsManage) {
		return errManage
	}
	if version <= 0 {
		return errNoVersion
	}
	cur, err := s.load(ctx, accountID, projectID)
	if err != nil {
		return err
	}
	if cur.Version != version {
		return s.stale(ctx, cur)
	}
	if cur.MemberCount > store.MaxDeletableMembers {
		return tooLarge()
	}
	ids, err := s.store.ProjectMemberIDs(ctx, accountID, projectID, "", store.MaxDeletableMembers+1)
	if err != nil {
		return err
	}
	if len(ids.IDs) > store.MaxDeletableMembers {
		return tooLarge()
	}
	byID, err := s.store.MembershipsByID(ctx, accountID, ids.IDs)
	if err != nil {
		return err
	}
	members := make([]domain.Membership, 0, len(ids.IDs))
	names := make([]string, 0, len(ids.IDs))
	for _, id := range ids.IDs {
		if m, ok := byID[id]; ok {
			members = append(members, m)
			names = append(names, m.Name())
		}
	}
	ev := domain.ProjectDeleted(actor, cur, byID[cur.OwnerID].Name(), names, s.now().UTC())
	err = s.store.DeleteProject(ctx, cur, members, ev)
	switch {
	case errors.Is(err, store.ErrProjectTooLarge):
		return tooLarge()
	case errors.Is(err, store.ErrConflict):
		return s.staleNow(ctx, accountID, projectID)
	}
	return err
}

func tooLarge() error {
	return domain.CodeProjectTooLarge.Msg("This project has more than 48 members, more than one change can end at once. Remove members first, then delete it.")
}

// stale is the 409 of an edit made on an old version, with the project as
// it is now.
func (s *Service) stale(ctx context.Context, cur domain.Project) error {
	e := domain.CodeStaleVersion.Msg("Someone changed this project meanwhile. Review the current version and try again.")
	if vs, err := s.views(ctx, cur.AccountID, []domain.Project{cur}); err == nil {
		e.Current = vs[0]
	}
	return e
}

// staleNow is stale for a write that lost a race: the project read again.
func (s *Service) staleNow(ctx context.Context, accountID, projectID string) error {
	cur, err := s.load(ctx, accountID, projectID)
	if err != nil {
		return err
	}
	return s.stale(ctx, cur)
}
