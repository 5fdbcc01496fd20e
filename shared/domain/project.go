package domain

import "time"

// Project is a project of an account: a name, an owner (an active member)
// and members (active members), counted on the project.
type Project struct {
	ID          string    `dynamodbav:"id" json:"id"`
	AccountID   string    `dynamodbav:"accountId" json:"-"`
	Name        string    `dynamodbav:"name" json:"name"`
	OwnerID     string    `dynamodbav:"ownerId" json:"ownerId"`
	MemberCount int       `dynamodbav:"memberCount" json:"memberCount"`
	CreatedAt   time.Time `dynamodbav:"createdAt" json:"createdAt"`
	Version     int64     `dynamodbav:"version" json:"version"`
}

// Project actions of the history.
const (
	ActionProjectCreated       = "project.created"
	ActionProjectRenamed       = "project.renamed"
	ActionProjectOwnerChanged  = "project.owner_changed"
	ActionProjectDeleted       = "project.deleted"
	ActionProjectMemberAdded   = "project.member_added"
	ActionProjectMemberRemoved = "project.member_removed"
)

// ProjectTarget is a project as the target of an event.
func ProjectTarget(p Project) EventTarget {
	return EventTarget{Kind: "project", ID: p.ID, Name: p.Name}
}

// ProjectRef is a project named in a member's event, and the payload of
// the project events about its owner.
type ProjectRef struct {
	ProjectID   string `json:"projectId" dynamodbav:"projectId"`
	ProjectName string `json:"projectName" dynamodbav:"projectName"`
	OwnerID     string `json:"ownerId,omitempty" dynamodbav:"ownerId,omitempty"`
	OwnerName   string `json:"ownerName,omitempty" dynamodbav:"ownerName,omitempty"`
}

// ProjectDeletion is the before of project.deleted: the project, its owner
// and the members whose assignments ended with it.
type ProjectDeletion struct {
	ProjectRef
	Members []string `json:"members,omitempty" dynamodbav:"members,omitempty"`
}

func refOf(p Project, ownerName string) ProjectRef {
	return ProjectRef{ProjectID: p.ID, ProjectName: p.Name, OwnerID: p.OwnerID, OwnerName: ownerName}
}

// ProjectCreated is project.created, owned by owner.
func ProjectCreated(actor Actor, p Project, owner Membership, at time.Time) AuditEvent {
	return event(actor, p.AccountID, ActionProjectCreated, at, ProjectTarget(p), nil, refOf(p, owner.Name()))
}

// ProjectRenamed is project.renamed from before's name to after's.
func ProjectRenamed(actor Actor, before, after Project, at time.Time) AuditEvent {
	return event(actor, after.AccountID, ActionProjectRenamed, at, ProjectTarget(after), NameChange{before.Name}, NameChange{after.Name})
}

// ProjectOwnerChanged is project.owner_changed from one owner to another.
func ProjectOwnerChanged(actor Actor, p Project, from, to Membership, at time.Time) AuditEvent {
	return event(actor, p.AccountID, ActionProjectOwnerChanged, at, ProjectTarget(p),
		OwnerChange{from.UserID, from.Name()}, OwnerChange{to.UserID, to.Name()})
}

// ProjectDeleted is project.deleted, naming the members whose assignments
// ended.
func ProjectDeleted(actor Actor, p Project, ownerName string, members []string, at time.Time) AuditEvent {
	return event(actor, p.AccountID, ActionProjectDeleted, at, ProjectTarget(p), ProjectDeletion{refOf(p, ownerName), members}, nil)
}

// ProjectMemberAdded is project.member_added: the target is the member, so
// that the member's history shows it too.
func ProjectMemberAdded(actor Actor, p Project, m Membership, at time.Time) AuditEvent {
	return event(actor, p.AccountID, ActionProjectMemberAdded, at, MemberTarget(m), nil, ProjectRef{ProjectID: p.ID, ProjectName: p.Name})
}

// ProjectMemberRemoved is project.member_removed, the member as target.
func ProjectMemberRemoved(actor Actor, p Project, m Membership, at time.Time) AuditEvent {
	return event(actor, p.AccountID, ActionProjectMemberRemoved, at, MemberTarget(m), ProjectRef{ProjectID: p.ID, ProjectName: p.Name}, nil)
}

// Transfer actions: a member moved from one account to another.
const (
	ActionMemberTransferredOut = "member.transferred_out"
	ActionMemberTransferredIn  = "member.transferred_in"
)

// Transfer is the payload of a transfer's events: the accounts, the
// projects that moved with the member, the assignments that ended (other
// members of the moved projects, named) and the projects the member left.
type Transfer struct {
	FromAccountID   string        `json:"fromAccountId" dynamodbav:"fromAccountId"`
	FromAccountName string        `json:"fromAccountName" dynamodbav:"fromAccountName"`
	ToAccountID     string        `json:"toAccountId" dynamodbav:"toAccountId"`
	ToAccountName   string        `json:"toAccountName" dynamodbav:"toAccountName"`
	Role            Role          `json:"role" dynamodbav:"role"`
	Permissions     PermissionSet `json:"permissions" dynamodbav:"permissions"`
	MovedProjects   []string      `json:"movedProjects,omitempty" dynamodbav:"movedProjects,omitempty"`
	EndedMembers    []string      `json:"endedAssignments,omitempty" dynamodbav:"endedAssignments,omitempty"`
	LeftProjects    []string      `json:"leftProjects,omitempty" dynamodbav:"leftProjects,omitempty"`
}

// MemberTransferredOut is member.transferred_out in the source account:
// before is the member there, after the transfer.
func MemberTransferredOut(actor Actor, from Membership, t Transfer, at time.Time) AuditEvent {
	return event(actor, from.AccountID, ActionMemberTransferredOut, at, MemberTarget(from),
		StatusChange{Status: from.Status, Role: from.Role, Permissions: from.Permissions}, t)
}

// MemberTransferredIn is member.transferred_in in the destination account.
func MemberTransferredIn(actor Actor, to Membership, t Transfer, at time.Time) AuditEvent {
	return event(actor, to.AccountID, ActionMemberTransferredIn, at, MemberTarget(to), nil, t)
}
