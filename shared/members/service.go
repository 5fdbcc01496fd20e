package members

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/store"
)

// Page sizes of the member list.
const (
	DefaultLimit = 50
	MaxLimit     = 100
)

// Service applies the member rules against the store. Every method takes
// the actor that Authenticator.Member returned for the request.
type Service struct {
	store   *store.Store
	catalog *domain.Catalog
}

// NewService returns a Service over s with the permission catalog cat.
func NewService(s *store.Store, cat *domain.Catalog) *Service {
	return &Service{store: s, catalog: cat}
}

// Member is a member as the API shows it.
type Member struct {
	UserID       string               `json:"userId"`
	Email        string               `json:"email"`
	FirstName    string               `json:"firstName"`
	LastName     string               `json:"lastName"`
	Role         domain.Role          `json:"role"`
	Permissions  domain.PermissionSet `json:"permissions"`
	Status       domain.MemberStatus  `json:"status"`
	JoinedAt     time.Time            `json:"joinedAt,omitzero"`
	LastLoginAt  time.Time            `json:"lastLoginAt,omitzero"`
	LastActiveAt time.Time            `json:"lastActiveAt,omitzero"`
	ProjectCount int                  `json:"projectCount"`
	// RemovedAt and RemovedBy are set on a former member (status removed).
	RemovedAt time.Time          `json:"removedAt,omitzero"`
	RemovedBy *domain.EventActor `json:"removedBy,omitempty"`
	Version   int64              `json:"version"`
}

// View returns the API view of a membership. The owner's permissions are
// shown as what they are: All.
func View(m domain.Membership) Member {
	v := Member{
		UserID: m.UserID, Email: m.Email, FirstName: m.FirstName, LastName: m.LastName,
		Role: m.Role, Permissions: m.Permissions, Status: m.Status, Version: m.Version,
		JoinedAt: m.JoinedAt, LastLoginAt: m.LastLoginAt, LastActiveAt: m.LastActiveAt, ProjectCount: m.ProjectCount,
		RemovedAt: m.RemovedAt, RemovedBy: m.RemovedBy,
	}
	if m.Role == domain.RoleOwner {
		v.Permissions = domain.PermissionSet{All: true}
	}
	return v
}

// List is a page of the member list.
type List struct {
	Items []Member `json:"items"`
	Next  string   `json:"next,omitempty"`
}

// ListQuery is what the member list is asked for.
type ListQuery struct {
	Status domain.MemberStatus
	Q      string
	Cursor string
	Limit  int
}

var errNoMember = domain.CodeMemberNotFound.Msg("This member does not exist in this account.")

// List returns a page of the account's members with the status, in name
// order, or those matching the search q; status removed lists the records
// of former members, which search does not cover. It needs users.view. It
// returns forbidden missing_permission, invalid invalid_status (a search of
// removed members included), invalid_limit, query_too_long or
// invalid_cursor, or the store's error.
func (s *Service) List(ctx context.Context, actor domain.Actor, accountID string, q ListQuery) (List, error) {
	if !actor.Can(domain.PermUsersView) {
		return List{}, domain.CodeMissingPermission.Msg("You need the Account administration: view permission to see the members.")
	}
	switch q.Status {
	case "":
		q.Status = domain.StatusActive
	case domain.StatusActive, domain.StatusDeactivated:
	case domain.StatusRemoved:
		if strings.TrimSpace(q.Q) != "" {
			return List{}, domain.CodeInvalidStatus.Field("q", "Search covers active and deactivated members; list removed members without a search.")
		}
	default:
		return List{}, domain.CodeInvalidStatus.Field("status", "The status must be active, deactivated or removed.")
	}
	switch {
	case q.Limit == 0:
		q.Limit = DefaultLimit
	case q.Limit < 0 || q.Limit > MaxLimit:
		return List{}, domain.CodeInvalidLimit.Field("limit", "The page size must be between 1 and 100.")
	}
	terms, err := SearchTerms(q.Q)
	if err != nil {
		return List{}, err
	}
	folded := ""
	for i, t := range terms {
		if i > 0 {
			folded += " "
		}
		folded += t
	}
	pos, err := decodeCursor(q.Cursor, accountID, q.Status, folded)
	if err != nil {
		return List{}, err
	}
	var page store.MemberPage
	if len(terms) == 0 {
		page, err = s.store.ListMembers(ctx, accountID, q.Status, pos, q.Limit)
	} else {
		page, err = s.store.SearchMembers(ctx, accountID, q.Status, terms, pos, q.Limit)
	}
	if errors.Is(err, store.ErrBadPosition) {
		return List{}, errBadCursor
	}
	if err != nil {
		return List{}, err
	}
	out := List{Items: make([]Member, 0, len(page.Items)), Next: encodeCursor(accountID, q.Status, folded, page.Next)}
	for _, m := range page.Items {
		out.Items = append(out.Items, View(m))
	}
	return out, nil
}

// load reads the member, strongly consistent. It returns not_found
// member_not_found when the user is not a member of the account.
func (s *Service) load(ctx context.Context, accountID, userID string) (domain.Membership, error) {
	m, err := s.store.GetMembership(ctx, accountID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return m, errNoMember
	}
	return m, err
}

// Get returns a member. It needs users.view, except for the member
// themself. It returns forbidden missing_permission or not_found
// member_not_found.
func (s *Service) Get(ctx context.Context, actor domain.Actor, accountID, userID string) (Member, error) {
	if userID != actor.UserID && !actor.Can(domain.PermUsersView) {
		return Member{}, domain.CodeMissingPermission.Msg("You need the Account administration: view permission to see the members.")
	}
	m, err := s.load(ctx, accountID, userID)
	if err != nil {
		return Member{}, err
	}
	return View(m), nil
}

// stale returns the 409 stale_version error carrying the current member,
// or member_not_found when the member is gone.
func (s *Service) stale(ctx context.Context, accountID, userID string) error {
	cur, err := s.load(ctx, accountID, userID)
	if err != nil {
		return err
	}
	return staleError(cur)
}

// memberError maps the store's answers about a membership: a *StaleError
// becomes 409 stale_version with the current member, a missing one 404
// member_not_found; other errors pass as they are.
func memberError(err error) error {
	var stale *store.StaleError
	switch {
	case errors.As(err, &stale):
		if cur, ok := stale.Current.(domain.Membership); ok {
			return staleError(cur)
		}
		return err
	case errors.Is(err, store.ErrNotFound):
		return errNoMember
	case errors.Is(err, store.ErrProjectTooLarge):
		return tooManyProjects()
	case errors.Is(err, store.ErrNotActiveMember):
		return domain.CodeInvalidOwner.Field("projectsTo", "The projects' new owner is no longer an active member. Choose another.")
	}
	return err
}

func staleError(cur domain.Membership) error {
	e := domain.CodeStaleVersion.Msg("Someone else changed this member since you loaded it. Review the current state and try again.")
	e.Current = View(cur)
	return e
}

// Update applies an edit: role, permissions and names. The grant rules are
// checked on the member as it is now, then the version: a stale version is
// a 409 stale_version error carrying the current member. A no-op edit
// writes nothing. Otherwise the membership and one audit event per kind of
// change are written in one transaction. It returns the invalid errors of
// Edit.Apply, not_found member_not_found, the forbidden errors of the
// grant rules, or stale_version.
func (s *Service) Update(ctx context.Context, actor domain.Actor, accountID, userID string, e Edit) (Member, error) {
	if e.Version <= 0 {
		return Member{}, domain.CodeMissingVersion.Field("version", "Send the version of the member you edited.")
	}
	m, err := s.store.EditMember(ctx, accountID, userID, e.Version, func(cur domain.Membership) (domain.Membership, []domain.AuditEvent, error) {
		next, err := e.Apply(cur, s.catalog)
		if err != nil {
			return next, nil, err
		}
		if err := CheckEdit(s.catalog, actor, cur, next); err != nil {
			return next, nil, err
		}
		return next, EditEvents(actor, cur, next, s.store.Now()), nil
	}, nil)
	if err != nil {
		return Member{}, memberError(err)
	}
	return View(m), nil
}

// SetStatus deactivates (active=false) or reactivates a member. The member
// keeps role and permissions; only the status (and the list the member is
// in) changes, with its audit event in the same transaction. Setting the
// status a member has already writes nothing. A member who owns projects
// is deactivated only with projectsTo, the active member who then owns
// them (in the same transaction); their assignments stay. It returns
// invalid missing_version or invalid_owner, not_found member_not_found, the
// forbidden errors of domain.CheckManage, forbidden self_deactivation,
// conflict owns_projects (naming the projects) or project_too_large, or
// stale_version.
func (s *Service) SetStatus(ctx context.Context, actor domain.Actor, accountID, userID string, version int64, active bool, projectsTo string) (Member, error) {
	if version <= 0 {
		return Member{}, domain.CodeMissingVersion.Field("version", "Send the version of the member you edited.")
	}
	want, action := domain.StatusDeactivated, domain.ActionMemberDeactivated
	if active {
		want, action = domain.StatusActive, domain.ActionMemberReactivated
	}
	check := func(cur domain.Membership) error {
		if err := domain.CheckManage(actor, cur.Role, cur.Permissions); err != nil {
			return err
		}
		if userID == actor.UserID {
			return domain.CodeSelfDeactivation.Msg("You cannot deactivate yourself; ask another admin.")
		}
		return nil
	}
	var h *store.ProjectHandover
	if !active {
		var err error
		if h, err = s.handover(ctx, actor, accountID, userID, version, projectsTo, false, check); err != nil {
			return Member{}, err
		}
	}
	m, err := s.store.EditMember(ctx, accountID, userID, version, func(cur domain.Membership) (domain.Membership, []domain.AuditEvent, error) {
		if err := check(cur); err != nil {
			return cur, nil, err
		}
		if cur.Status == want {
			return cur, nil, nil
		}
		next := cur
		next.Status = want
		return next, []domain.AuditEvent{domain.MemberStatusChanged(actor, action, cur, next, s.store.Now())}, nil
	}, h)
	if err != nil {
		return Member{}, memberError(err)
	}
	return View(m), nil
}

// Remove deletes a membership and its search entries, with its audit
// event, in one transaction. The user's login and other accounts are
// untouched; their requests to this account are refused from then on. Their
// project assignments end in the same transaction; a member who owns
// projects is removed only with projectsTo, the active member who then owns
// them. It returns invalid missing_version or invalid_owner, not_found
// member_not_found, the forbidden errors of domain.CheckManage, conflict
// owns_projects (naming the projects) or project_too_large, or
// stale_version.
func (s *Service) Remove(ctx context.Context, actor domain.Actor, accountID, userID string, version int64, projectsTo string) error {
	if version <= 0 {
		return domain.CodeMissingVersion.Field("version", "Send the version of the member you remove.")
	}
	check := func(cur domain.Membership) error { return domain.CheckManage(actor, cur.Role, cur.Permissions) }
	h, err := s.handover(ctx, actor, accountID, userID, version, projectsTo, true, check)
	if err != nil {
		return err
	}
	err = s.store.RemoveMember(ctx, accountID, userID, version, func(cur domain.Membership) (domain.AuditEvent, error) {
		if err := check(cur); err != nil {
			return domain.AuditEvent{}, err
		}
		return domain.MemberStatusChanged(actor, domain.ActionMemberRemoved, cur, domain.Membership{}, s.store.Now()), nil
	}, h)
	return memberError(err)
}

// maxHandover bounds the projects read for one handover: past it the
// change cannot fit one transaction anyway.
const maxHandover = 50

// OwnedProject names a project in the owns_projects refusal.
type OwnedProject struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// handover returns what happens to the projects of the member leaving them
// (deactivated, or removed when removal), or nil when nothing does. The
// member is read and check applied first, so that a refused actor learns
// nothing of the projects. It returns check's errors, stale_version,
// conflict owns_projects (with the projects as error.current.projects) when
// the member owns projects and projectsTo is empty, invalid invalid_owner
// when projectsTo is not another active member.
func (s *Service) handover(ctx context.Context, actor domain.Actor, accountID, userID string, version int64, projectsTo string, removal bool, check func(domain.Membership) error) (*store.ProjectHandover, error) {
	leaver, err := s.load(ctx, accountID, userID)
	if err != nil {
		return nil, err
	}
	if err := check(leaver); err != nil {
		return nil, err
	}
	if leaver.Version != version {
		return nil, staleError(leaver)
	}
	owned, err := s.store.ProjectsOwnedBy(ctx, accountID, userID, maxHandover+1)
	if err != nil {
		return nil, err
	}
	var assigned []string
	if removal {
		page, err := s.store.MemberProjectIDs(ctx, accountID, userID, "", maxHandover+1)
		if err != nil {
			return nil, err
		}
		for _, id := range page.IDs {
			if !slices.Contains(owned, id) {
				assigned = append(assigned, id)
			}
		}
	}
	if len(owned) == 0 && len(assigned) == 0 {
		return nil, nil
	}
	if len(owned)+len(assigned) > maxHandover {
		return nil, tooManyProjects()
	}
	byID, err := s.store.ProjectsByID(ctx, accountID, append(slices.Clone(owned), assigned...))
	if err != nil {
		return nil, err
	}
	h := &store.ProjectHandover{Leaver: leaver, Removal: removal, ToJoins: map[string]bool{}}
	if len(owned) > 0 {
		if projectsTo == "" {
			e := domain.CodeOwnsProjects.Msg("This member owns projects. Choose who owns them next (projectsTo), or give each a new owner first.")
			list := make([]OwnedProject, 0, len(owned))
			for _, id := range owned {
				list = append(list, OwnedProject{ID: id, Name: byID[id].Name})
			}
			e.Current = map[string]any{"projects": list}
			return nil, e
		}
		to, err := s.store.GetMembership(ctx, accountID, projectsTo)
		if projectsTo == userID || errors.Is(err, store.ErrNotFound) || err == nil && to.Status != domain.StatusActive {
			return nil, domain.CodeInvalidOwner.Field("projectsTo", "The projects' new owner must be another active member of this account.")
		}
		if err != nil {
			return nil, err
		}
		h.To = to
	}
	now := s.store.Now()
	joinedAlready := map[string]bool{}
	if len(owned) > 0 {
		if joinedAlready, err = s.store.AssignedTo(ctx, h.To.UserID, owned); err != nil {
			return nil, err
		}
	}
	for _, id := range owned {
		p, ok := byID[id]
		if !ok {
			continue
		}
		joined := joinedAlready[id]
		h.Owned = append(h.Owned, p)
		next := p
		next.OwnerID = h.To.UserID
		h.Events = append(h.Events, domain.ProjectOwnerChanged(actor, next, leaver, h.To, now))
		if !joined {
			h.ToJoins[id] = true
			h.Events = append(h.Events, domain.ProjectMemberAdded(actor, next, h.To, now))
		}
		if removal {
			h.Events = append(h.Events, domain.ProjectMemberRemoved(actor, next, leaver, now))
		}
	}
	for _, id := range assigned {
		if p, ok := byID[id]; ok {
			h.Assigned = append(h.Assigned, p)
			h.Events = append(h.Events, domain.ProjectMemberRemoved(actor, p, leaver, now))
		}
	}
	return h, nil
}

func tooManyProjects() error {
	return domain.CodeProjectTooLarge.Msg("This member has more projects than one change can hand over. Give some of them a new owner, or end assignments, first.")
}

// HandOver is the body of an ownership handover.
type HandOver struct {
	UserID   string `json:"userId"`
	Password string `json:"password"`
	Version  int64  `json:"version"`
}

// TransferOwnership hands the account over to an active admin: the target
// becomes the owner (All), the owner becomes an admin keeping All, and the
// account's ownerId changes, with the account.ownership_transferred event,
// in one transaction. Only the owner may do it, confirmed by their
// password. Version is the target member's version. It returns invalid
// missing_version or invalid_user, forbidden owner_only or wrong_password,
// rate_limited after too many wrong passwords, not_found member_not_found,
// unprocessable target_not_admin, or stale_version.
func (s *Service) TransferOwnership(ctx context.Context, actor domain.Actor, accountID string, h HandOver) (Member, error) {
	if h.UserID == "" || len(h.UserID) > 64 {
		return Member{}, domain.CodeInvalidUser.Field("userId", "Choose the admin who becomes the owner.")
	}
	if h.Version <= 0 {
		return Member{}, domain.CodeMissingVersion.Field("version", "Send the version of the member who becomes the owner.")
	}
	if actor.Role != domain.RoleOwner {
		return Member{}, domain.CodeOwnerOnly.Msg("Only the owner can hand over ownership.")
	}
	if h.UserID == actor.UserID {
		return Member{}, domain.CodeTargetNotAdmin.Msg("You are the owner already; choose an active admin.")
	}
	// Wrong passwords count against the same per-user limit as the other
	// secrets a signed-in user confirms, so that a stolen session cannot
	// guess the owner's password here.
	u, err := auth.ProofSubject(ctx, s.store, actor.UserID)
	if err != nil {
		return Member{}, err
	}
	if ok, err := auth.VerifyPassword(h.Password, u.PasswordHash); err != nil || !ok {
		return Member{}, auth.RefuseProof(ctx, s.store, u.ID, domain.CodeWrongPassword.In(domain.EForbidden).Msg("The password is not right."))
	}
	owner, err := s.load(ctx, accountID, actor.UserID)
	if err != nil {
		return Member{}, err
	}
	target, err := s.load(ctx, accountID, h.UserID)
	if err != nil {
		return Member{}, err
	}
	if target.Role != domain.RoleAdmin || target.Status != domain.StatusActive {
		return Member{}, domain.CodeTargetNotAdmin.Msg("Ownership can only go to an active admin.")
	}
	if target.Version != h.Version {
		return Member{}, staleError(target)
	}
	acct, err := s.store.GetAccount(ctx, accountID)
	if err != nil {
		return Member{}, err
	}
	ownerAs, targetAs := owner, target
	ownerAs.Role, ownerAs.Permissions, ownerAs.Version = domain.RoleAdmin, domain.PermissionSet{All: true}, owner.Version+1
	targetAs.Role, targetAs.Permissions, targetAs.Version = domain.RoleOwner, domain.PermissionSet{All: true}, target.Version+1
	ev := domain.OwnershipHandedOver(actor, owner, target, s.store.Now())
	err = s.store.TransferOwnership(ctx, store.HandOver{Account: acct, Owner: owner, NewOwner: target, OwnerAs: ownerAs, NewOwnerAs: targetAs, Event: ev})
	if errors.Is(err, store.ErrConflict) {
		return Member{}, s.stale(ctx, accountID, h.UserID)
	}
	if err != nil {
		return Member{}, err
	}
	return View(targetAs), nil
}

// Exit is the body of a deactivation, reactivation or removal: the
// member's version and, for a member who owns projects, who takes them over.
type Exit struct {
	Version    int64  `json:"version"`
	ProjectsTo string `json:"projectsTo"`
}
