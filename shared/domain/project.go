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
