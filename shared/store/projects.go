package store

// Project storage, in one place. A project has a partition of its own
// (PROJECT#<id>): the project item (SK PROJECT), which names its account and
// is listed by name on GSI2 (ACCOUNT#<a>#PROJECTS, folded name then id, so
// that a prefix of the name is one begins_with Query) and by owner on GSI1
// (ACCOUNT#<a>#OWNER#<u>), and one item per assignment of a member
// (MEMBER#<u>), listed per member on GSI1 (ACCOUNT#<a>#MEMBER#<u>#PROJECTS).
// The account is an attribute and index key, not part of the table key, so
// that a project moving with its owner to another account is updated in
// place (one item, and one per assignment) rather than deleted and made
// again: a transfer of a member owning 20 projects fits one transaction.
// Every read by id checks the project's account. The project counts its
// members and the membership its projects; both change in the transaction
// that assigns, with the membership's version, so that an edit of the
// member made meanwhile is refused rather than overwriting the count.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"roster/shared/domain"
)

const (
	typeProject       = "project"
	typeProjectMember = "projectMember"
)

// Errors of project writes.
var (
	// ErrNotActiveMember means a user named as a project's owner or member
	// is not an active member of the account.
	ErrNotActiveMember = errors.New("store: not an active member")
	// ErrProjectTooLarge means a project has more members than one
	// transaction can end the assignments of.
	ErrProjectTooLarge = errors.New("store: project too large for one transaction")
	// ErrProjectNameTaken means another project of the account has the
	// name (compared folded: case and accents aside).
	ErrProjectNameTaken = errors.New("store: project name taken")
)

// projectNameKey is the guard that keeps a project name unique in its
// account: one item per folded name, naming its project.
func projectNameKey(accountID, name string) item {
	return key(accountPK(accountID)+"#PROJECTNAME", FoldSearch(name))
}

// claimName and releaseName add a name guard's writes to tx.
func (t *Tx) claimName(p domain.Project) *Tx {
	k := projectNameKey(p.AccountID, p.Name)
	k["projectId"], k[AttrType] = str(p.ID), str("projectName")
	return t.put(k, notExists)
}

func (t *Tx) releaseName(p domain.Project) *Tx {
	return t.delete(projectNameKey(p.AccountID, p.Name), cond{})
}

// MaxDeletableMembers is the most members a project may have to be deleted
// in one transaction: the project, each assignment and its member's count,
// and the event fit in TransactWriteItems' 100 items.
const MaxDeletableMembers = 48

func projectKey(projectID string) item   { return key(projectPK(projectID), "PROJECT") }
func projectsPK(accountID string) string { return accountPK(accountID) + "#PROJECTS" }
func projectOwnerPK(accountID, userID string) string {
	return accountPK(accountID) + "#OWNER#" + userID
}
func projectPK(projectID string) string { return "PROJECT#" + projectID }
func projectMemberKey(projectID, userID string) item {
	return key(projectPK(projectID), memberSK(userID))
}
func memberProjectsPK(accountID, userID string) string {
	return accountPK(accountID) + "#MEMBER#" + userID + "#PROJECTS"
}

// projectNameSK orders projects by folded name, then id.
func projectNameSK(p domain.Project) string { return FoldSearch(p.Name) + "#" + p.ID }

func projectItem(p domain.Project) (item, error) {
	it, err := record(typeProject, projectKey(p.ID), p, time.Time{})
	if err != nil {
		return nil, err
	}
	it[AttrGSI1PK], it[AttrGSI1SK] = str(projectOwnerPK(p.AccountID, p.OwnerID)), str("PROJECT#"+p.ID)
	it[AttrGSI2PK], it[AttrGSI2SK] = str(projectsPK(p.AccountID)), str(projectNameSK(p))
	return it, nil
}

func decodeProject(m item) (domain.Project, error) {
	var p domain.Project
	if err := attributevalue.UnmarshalMap(m, &p); err != nil {
		return p, fmt.Errorf("decode project: %w", err)
	}
	return p, nil
}

// projectMember is an assignment of a member to a project.
type projectMember struct {
	AccountID string    `dynamodbav:"accountId"`
	ProjectID string    `dynamodbav:"projectId"`
	UserID    string    `dynamodbav:"userId"`
	AddedAt   time.Time `dynamodbav:"addedAt"`
}

func projectMemberItem(accountID, projectID, userID string, at time.Time) (item, error) {
	it, err := record(typeProjectMember, projectMemberKey(projectID, userID),
		projectMember{AccountID: accountID, ProjectID: projectID, UserID: userID, AddedAt: at}, time.Time{})
	if err != nil {
		return nil, err
	}
	it[AttrGSI1PK], it[AttrGSI1SK] = str(memberProjectsPK(accountID, userID)), str("PROJECT#"+projectID)
	return it, nil
}

// activeMemberAt is the condition on a membership that a project change
// counts on: active, at the version read.
func activeMemberAt(version int64) cond {
	return cond{expr: "attribute_exists(PK) AND version = :mv AND #status = :active",
		names: map[string]string{"#status": "status"}, values: item{":mv": num(version), ":active": str(string(domain.StatusActive))}}
}

// projectAt is the condition on a project read with its assignments: the
// same version and the same member count (an assignment made meanwhile
// changes the count, not the version), so that a change that ends every
// assignment it read misses none.
func projectAt(p domain.Project) cond {
	c := versionIs(p.Version)
	c.expr += " AND memberCount = :mc"
	c.values[":mc"] = num(int64(p.MemberCount))
	return c
}

// unassign ends a user's assignment to a project (which must exist) and
// counts one member less on the project.
func (t *Tx) unassign(projectID, userID string) *Tx {
	return t.delete(projectMemberKey(projectID, userID), cond{expr: "attribute_exists(PK)"}).
		update(projectKey(projectID), "ADD memberCount :minus", cond{expr: "attribute_exists(PK)", values: item{":minus": num(-1)}})
}

// countProjects adds delta to a membership's project count and bumps its
// version, conditional on it being active at version (or, for delta < 0,
// only existing at version: a deactivated member's assignments can end).
func (t *Tx) countProjects(m domain.Membership, delta int) *Tx {
	c := activeMemberAt(m.Version)
	if delta < 0 {
		c = versionIs(m.Version)
		c.values = item{":v": num(m.Version)}
	}
	c.values[":d"], c.values[":one"] = num(int64(delta)), num(1)
	return t.update(memberKey(m.AccountID, m.UserID), "ADD projectCount :d, version :one", c)
}

// GetProject returns the account's project, or ErrNotFound (also for a
// project of another account). The read is strongly consistent.
func (s *Store) GetProject(ctx context.Context, accountID, projectID string) (domain.Project, error) {
	m, err := s.get(ctx, projectKey(projectID), true)
	if err != nil {
		return domain.Project{}, err
	}
	p, err := decodeProject(m)
	if err == nil && p.AccountID != accountID {
		return domain.Project{}, ErrNotFound
	}
	return p, err
}

// ProjectPage is a page of projects; Next is the position after it.
type ProjectPage struct {
	Items []domain.Project
	Next  string
}

// ListProjects returns up to limit projects of the account in name order
// after the position after, those whose folded name starts with prefix when
// it is not empty: one Query of GSI2 that reads only what it returns. It
// returns ErrBadPosition for a position outside the list.
func (s *Store) ListProjects(ctx context.Context, accountID, prefix, after string, limit int) (ProjectPage, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(IndexGSI2),
		KeyConditionExpression:    aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: item{":pk": str(projectsPK(accountID))},
		Limit:                     aws.Int32(int32(limit)),
	}
	if prefix != "" {
		in.KeyConditionExpression = aws.String("GSI2PK = :pk AND begins_with(GSI2SK, :prefix)")
		in.ExpressionAttributeValues[":prefix"] = str(prefix)
	}
	if after != "" {
		i := strings.LastIndexByte(after, '#')
		if i < 0 || i == len(after)-1 || !strings.HasPrefix(after, prefix) {
			return ProjectPage{}, ErrBadPosition
		}
		in.ExclusiveStartKey = projectKey(after[i+1:])
		in.ExclusiveStartKey[AttrGSI2PK], in.ExclusiveStartKey[AttrGSI2SK] = str(projectsPK(accountID)), str(after)
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return ProjectPage{}, fmt.Errorf("list projects: %w", err)
	}
	page := ProjectPage{Items: make([]domain.Project, 0, len(out.Items))}
	for _, it := range out.Items {
		p, err := decodeProject(it)
		if err != nil {
			return ProjectPage{}, err
		}
		page.Items = append(page.Items, p)
	}
	if v, ok := out.LastEvaluatedKey[AttrGSI2SK].(*types.AttributeValueMemberS); ok {
		page.Next = v.Value
	}
	return page, nil
}

// ProjectsOwnedBy returns the ids of the account's projects the user owns
// (one Query of GSI1, up to limit).
func (s *Store) ProjectsOwnedBy(ctx context.Context, accountID, userID string, limit int) ([]string, error) {
	page, err := s.idPage(ctx, IndexGSI1, "GSI1PK", projectOwnerPK(accountID, userID), "GSI1SK", "PROJECT#", "", limit)
	return page.IDs, err
}

// IDPage is a page of ids; Next is the position after it.
type IDPage struct {
	IDs  []string
	Next string
}

// ProjectMemberIDs returns up to limit user ids of the project's members,
// in id order after the position after (one Query).
func (s *Store) ProjectMemberIDs(ctx context.Context, accountID, projectID, after string, limit int) (IDPage, error) {
	return s.idPage(ctx, "", "PK", projectPK(projectID), "SK", "MEMBER#", after, limit)
}

// MemberProjectIDs returns up to limit ids of the projects the member is
// assigned to, in id order after the position after (one Query of GSI1).
func (s *Store) MemberProjectIDs(ctx context.Context, accountID, userID, after string, limit int) (IDPage, error) {
	return s.idPage(ctx, IndexGSI1, "GSI1PK", memberProjectsPK(accountID, userID), "GSI1SK", "PROJECT#", after, limit)
}

// idPage is one page of a partition whose sort keys are prefix+id.
func (s *Store) idPage(ctx context.Context, index, pkAttr, pk, skAttr, prefix, after string, limit int) (IDPage, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		KeyConditionExpression:    aws.String(pkAttr + " = :pk AND begins_with(" + skAttr + ", :prefix)"),
		ExpressionAttributeValues: item{":pk": str(pk), ":prefix": str(prefix)},
		ProjectionExpression:      aws.String("PK, SK"),
		Limit:                     aws.Int32(int32(limit)),
		ConsistentRead:            aws.Bool(index == ""),
	}
	if index != "" {
		in.IndexName = aws.String(index)
		in.ProjectionExpression = aws.String("PK, SK, " + pkAttr + ", " + skAttr)
	}
	if after != "" {
		start, err := startKey(index, pkAttr, pk, skAttr, prefix+after)
		if err != nil {
			return IDPage{}, err
		}
		in.ExclusiveStartKey = start
	}
	out, err := s.db.Query(ctx, in)
	if err != nil {
		return IDPage{}, fmt.Errorf("query %s: %w", pk, err)
	}
	page := IDPage{IDs: make([]string, 0, len(out.Items))}
	for _, it := range out.Items {
		if v, ok := it[skAttr].(*types.AttributeValueMemberS); ok {
			page.IDs = append(page.IDs, strings.TrimPrefix(v.Value, prefix))
		}
	}
	if v, ok := out.LastEvaluatedKey[skAttr].(*types.AttributeValueMemberS); ok {
		page.Next = strings.TrimPrefix(v.Value, prefix)
	}
	return page, nil
}

// startKey is the exclusive start key of a page after the item whose sort
// key in the partition is sk: the table's key, found for an index (which
// needs the base table's key too) from the item's known layout.
func startKey(index, pkAttr, pk, skAttr, sk string) (item, error) {
	switch {
	case index == "":
		return item{pkAttr: str(pk), skAttr: str(sk)}, nil
	case strings.HasSuffix(pk, "#PROJECTS"): // a member's assignments: the project's partition
		accountUser := strings.TrimSuffix(strings.TrimPrefix(pk, "ACCOUNT#"), "#PROJECTS")
		_, userID, ok := strings.Cut(accountUser, "#MEMBER#")
		if !ok {
			return nil, ErrBadPosition
		}
		return item{AttrPK: str(projectPK(strings.TrimPrefix(sk, "PROJECT#"))), AttrSK: str(memberSK(userID)),
			pkAttr: str(pk), skAttr: str(sk)}, nil
	}
	return nil, ErrBadPosition
}

// ProjectsByID reads projects of the account by id (BatchGetItem, 100 keys
// a call); the missing ones are absent.
func (s *Store) ProjectsByID(ctx context.Context, accountID string, ids []string) (map[string]domain.Project, error) {
	keys := make([]item, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, projectKey(id))
	}
	items, err := s.batchGet(ctx, keys, read{})
	if err != nil {
		return nil, fmt.Errorf("read projects: %w", err)
	}
	out := make(map[string]domain.Project, len(items))
	for _, it := range items {
		p, err := decodeProject(it)
		if err != nil {
			return nil, err
		}
		if p.AccountID == accountID {
			out[p.ID] = p
		}
	}
	return out, nil
}

// IsProjectMember reports whether the user is assigned to the project
// (one strongly consistent GetItem).
func (s *Store) IsProjectMember(ctx context.Context, accountID, projectID, userID string) (bool, error) {
	_, err := s.get(ctx, projectMemberKey(projectID, userID), true)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// AssignedTo returns which of the projects the user is assigned to, with
// one strongly consistent BatchGetItem.
func (s *Store) AssignedTo(ctx context.Context, userID string, projectIDs []string) (map[string]bool, error) {
	keys := make([]item, 0, len(projectIDs))
	for _, id := range projectIDs {
		keys = append(keys, projectMemberKey(id, userID))
	}
	items, err := s.batchGet(ctx, keys, read{consistent: true, projection: "projectId"})
	if err != nil {
		return nil, fmt.Errorf("read assignments: %w", err)
	}
	out := make(map[string]bool, len(items))
	for _, it := range items {
		if v, ok := it["projectId"].(*types.AttributeValueMemberS); ok {
			out[v.Value] = true
		}
	}
	return out, nil
}

// CreateProject writes a new project (version 1, its owner its one member),
// the owner's assignment and count, its name's guard, and the event, in one
// transaction. The owner's membership must be active at the version given.
// It returns ErrNotActiveMember when it is not, ErrProjectNameTaken when
// the name is, and ErrConflict when the id is taken.
func (s *Store) CreateProject(ctx context.Context, p domain.Project, owner domain.Membership, ev domain.AuditEvent) error {
	p.Version, p.MemberCount = 1, 1
	it, err := projectItem(p)
	if err != nil {
		return err
	}
	link, err := projectMemberItem(p.AccountID, p.ID, owner.UserID, p.CreatedAt)
	if err != nil {
		return err
	}
	tx := s.tx().put(it, notExists).put(link, notExists).countProjects(owner, 1).claimName(p)
	s.audit(tx, ev)
	return mapConflict(tx.commit(ctx), map[int]error{2: ErrNotActiveMember, 3: ErrProjectNameTaken})
}

// ProjectChange is a rename or a change of owner, made of the project as
// read (at its version): next is the project to write; newOwner is the
// membership of the new owner when it changes (at its version, active),
// and joins is true when the new owner is not yet a member of the project.
type ProjectChange struct {
	Prev, Next domain.Project
	NewOwner   *domain.Membership
	Joins      bool
	Events     []domain.AuditEvent
}

// EditProject writes a project change in one transaction conditional on the
// project's version (and, for a new owner, on their membership being active
// at its version); a new name moves its guard. It returns ErrConflict when
// the project moved on, ErrNotActiveMember when the new owner's membership
// did, ErrProjectNameTaken when another project has the new name.
func (s *Store) EditProject(ctx context.Context, c ProjectChange) (domain.Project, error) {
	next := c.Next
	next.Version = c.Prev.Version + 1
	if c.Joins {
		next.MemberCount = c.Prev.MemberCount + 1
	}
	it, err := projectItem(next)
	if err != nil {
		return domain.Project{}, err
	}
	tx := s.tx().put(it, projectAt(c.Prev))
	reasons := map[int]error{0: ErrConflict}
	if FoldSearch(next.Name) != FoldSearch(c.Prev.Name) {
		tx.releaseName(c.Prev).claimName(next)
		reasons[len(tx.items)-1] = ErrProjectNameTaken
	}
	if c.NewOwner != nil {
		if c.Joins {
			link, err := projectMemberItem(next.AccountID, next.ID, c.NewOwner.UserID, s.now())
			if err != nil {
				return domain.Project{}, err
			}
			i := len(tx.items)
			tx.put(link, notExists).countProjects(*c.NewOwner, 1)
			reasons[i], reasons[i+1] = ErrConflict, ErrNotActiveMember
		} else {
			reasons[len(tx.items)] = ErrNotActiveMember
			tx.check(memberKey(next.AccountID, c.NewOwner.UserID), activeMemberAt(c.NewOwner.Version))
		}
	}
	for _, ev := range c.Events {
		s.audit(tx, ev)
	}
	if err := mapConflict(tx.commit(ctx), reasons); err != nil {
		return domain.Project{}, err
	}
	return next, nil
}

// DeleteProject deletes the project (at its version), every assignment to
// it with its member's count (each membership at the version given), and
// writes the event, in one transaction. It returns ErrProjectTooLarge past
// MaxDeletableMembers, and ErrConflict when anything moved on.
func (s *Store) DeleteProject(ctx context.Context, p domain.Project, members []domain.Membership, ev domain.AuditEvent) error {
	if len(members) > MaxDeletableMembers {
		return ErrProjectTooLarge
	}
	tx := s.tx().delete(projectKey(p.ID), projectAt(p)).releaseName(p)
	for _, m := range members {
		tx.delete(projectMemberKey(p.ID, m.UserID), cond{expr: "attribute_exists(PK)"}).countProjects(m, -1)
	}
	s.audit(tx, ev)
	return mapConflict(tx.commit(ctx), nil)
}

// AddProjectMember assigns the member (active at the version given) to the
// project: the assignment, both counts and the event, in one transaction.
// It returns ErrConflict when the member is assigned already or the project
// is gone, ErrNotActiveMember when the membership moved on.
func (s *Store) AddProjectMember(ctx context.Context, p domain.Project, m domain.Membership, ev domain.AuditEvent) error {
	link, err := projectMemberItem(p.AccountID, p.ID, m.UserID, s.now())
	if err != nil {
		return err
	}
	tx := s.tx().put(link, notExists).
		update(projectKey(p.ID), "ADD memberCount :one", cond{expr: "attribute_exists(PK)", values: item{":one": num(1)}}).
		countProjects(m, 1)
	s.audit(tx, ev)
	return mapConflict(tx.commit(ctx), map[int]error{2: ErrNotActiveMember})
}

// RemoveProjectMember ends the member's assignment to the project (not its
// owner's: the project's ownerId must not be the member): the assignment,
// both counts and the event, in one transaction. It returns ErrConflict
// when the member is not assigned, the project is gone or its owner became
// the member, or the membership moved on from the version given.
func (s *Store) RemoveProjectMember(ctx context.Context, p domain.Project, m domain.Membership, ev domain.AuditEvent) error {
	tx := s.tx().delete(projectMemberKey(p.ID, m.UserID), cond{expr: "attribute_exists(PK)"}).
		update(projectKey(p.ID), "ADD memberCount :minus", cond{
			expr: "attribute_exists(PK) AND ownerId <> :u", values: item{":minus": num(-1), ":u": str(m.UserID)}}).
		countProjects(m, -1)
	s.audit(tx, ev)
	return mapConflict(tx.commit(ctx), nil)
}

// maxTransactItems is TransactWriteItems' limit of items.
const maxTransactItems = 100

// ProjectHandover is what happens to a member's projects when the member is
// deactivated or removed, in the member's own transaction: the projects
// they own go to a new owner (an active member, who joins those they are
// not assigned to), and on removal every assignment of theirs ends.
type ProjectHandover struct {
	// Leaver is the member leaving their projects.
	Leaver domain.Membership
	// Owned are the projects the leaver owns, as read (at their versions).
	Owned []domain.Project
	// To is the new owner's membership as read (active, at its version).
	To domain.Membership
	// ToJoins holds the ids of Owned that To is not assigned to yet.
	ToJoins map[string]bool
	// Removal ends the leaver's assignments: to Owned, and to Assigned, the
	// other projects they are assigned to.
	Removal  bool
	Assigned []domain.Project
	// Events are the projects' events of the handover.
	Events []domain.AuditEvent
}

// handOver adds the handover's writes to tx and returns the position (from
// the writes it adds) of the new owner's membership write, or -1.
func (s *Store) handOver(tx *Tx, h ProjectHandover) int {
	now := s.now()
	at := -1
	start := len(tx.items)
	for _, p := range h.Owned {
		next := p
		next.OwnerID, next.Version = h.To.UserID, p.Version+1
		if h.ToJoins[p.ID] {
			next.MemberCount++
		}
		if h.Removal {
			next.MemberCount--
			tx.delete(projectMemberKey(p.ID, h.Leaver.UserID), cond{expr: "attribute_exists(PK)"})
		}
		it, err := projectItem(next)
		if err != nil {
			tx.err = errors.Join(tx.err, err)
			return -1
		}
		tx.put(it, projectAt(p))
		if h.ToJoins[p.ID] {
			link, err := projectMemberItem(p.AccountID, p.ID, h.To.UserID, now)
			if err != nil {
				tx.err = errors.Join(tx.err, err)
				return -1
			}
			tx.put(link, notExists)
		}
	}
	if len(h.Owned) > 0 {
		at = len(tx.items) - start
		if n := len(h.ToJoins); n > 0 {
			tx.countProjects(h.To, n)
		} else {
			tx.check(memberKey(h.To.AccountID, h.To.UserID), activeMemberAt(h.To.Version))
		}
	}
	if h.Removal {
		for _, p := range h.Assigned {
			tx.unassign(p.ID, h.Leaver.UserID)
		}
	}
	for _, ev := range h.Events {
		s.audit(tx, ev)
	}
	return at
}

// MemberTransfer moves a member from one account to another in one
// transaction: the source membership (at its version) and its search
// entries go, the destination membership comes (ErrAlreadyMember when the
// user is a member there), the projects the member owns move to the
// destination in place with only the member assigned (the other members'
// assignments and counts end; the name guard moves), the member's other
// assignments end, and the events of both accounts are written. A project
// costs four items (project, assignment, two name guards) and one more
// item per other member.
type MemberTransfer struct {
	From, To domain.Membership
	// Owned are the projects the member owns, as read, each with the other
	// members assigned to it (memberships as read).
	Owned []OwnedProject
	// Assigned are the other projects the member is assigned to.
	Assigned []domain.Project
	Events   []domain.AuditEvent
}

// OwnedProject is a project that moves with its owner, and its other members.
type OwnedProject struct {
	Project domain.Project
	Others  []domain.Membership
}

// TransferMember writes a transfer. It returns ErrAlreadyMember,
// ErrProjectNameTaken when a moving project's name is taken in the
// destination,
// ErrProjectTooLarge past one transaction's 100 items, and ErrConflict when
// anything moved on since it was read.
func (s *Store) TransferMember(ctx context.Context, t MemberTransfer) error {
	tx := s.tx()
	s.deleteMembership(tx, t.From, versionIs(t.From.Version))
	toAt := len(tx.items)
	nameAt := map[int]bool{}
	to := t.To
	to.Version, to.ProjectCount = 1, len(t.Owned)
	s.joinMembership(tx, to)
	now := s.now()
	for _, o := range t.Owned {
		// The project and the mover's assignment change account in place;
		// the other members' assignments end.
		p := o.Project
		moved := p
		moved.AccountID, moved.MemberCount, moved.Version = to.AccountID, 1, p.Version+1
		it, err := projectItem(moved)
		if err != nil {
			return err
		}
		link, err := projectMemberItem(to.AccountID, p.ID, to.UserID, now)
		if err != nil {
			return err
		}
		tx.put(it, projectAt(p)).put(link, cond{expr: "attribute_exists(PK)"})
		for _, m := range o.Others {
			tx.delete(projectMemberKey(p.ID, m.UserID), cond{expr: "attribute_exists(PK)"}).countProjects(m, -1)
		}
		tx.releaseName(p)
		nameAt[len(tx.items)] = true
		tx.claimName(moved)
	}
	for _, p := range t.Assigned {
		tx.unassign(p.ID, t.From.UserID)
	}
	for _, ev := range t.Events {
		s.audit(tx, ev)
	}
	if len(tx.items) > maxTransactItems {
		return ErrProjectTooLarge
	}
	err := tx.commit(ctx)
	var ce *ConflictError
	switch {
	case errors.As(err, &ce) && ce.Index == toAt:
		return ErrAlreadyMember
	case errors.As(err, &ce) && nameAt[ce.Index]:
		return ErrProjectNameTaken
	}
	return err
}
