package domain

import "time"

// User is a global login. One user can belong to many accounts.
type User struct {
	ID            string   `dynamodbav:"id" json:"id"`
	Email         string   `dynamodbav:"email" json:"email"` // normalized, unique
	FirstName     string   `dynamodbav:"firstName" json:"firstName"`
	LastName      string   `dynamodbav:"lastName" json:"lastName"`
	EmailVerified bool     `dynamodbav:"emailVerified" json:"emailVerified"`
	PasswordHash  string   `dynamodbav:"passwordHash" json:"-"`
	TOTPSecret    string   `dynamodbav:"tOTPSecret" json:"-"` // set while enrolling and once enrolled
	TOTPEnabled   bool     `dynamodbav:"twoFactorEnabled" json:"twoFactorEnabled"`
	RecoveryCodes []string `dynamodbav:"recoveryCodes" json:"-"` // hashes of the unused recovery codes
	// TOTPLastStep is the time step of the last TOTP code accepted: a code
	// is accepted once (RFC 6238 section 5.2).
	TOTPLastStep int64     `dynamodbav:"totpLastStep" json:"-"`
	CreatedAt    time.Time `dynamodbav:"createdAt" json:"createdAt"`
	LastLoginAt  time.Time `dynamodbav:"lastLoginAt" json:"lastLoginAt,omitzero"`
	// PasswordChangedAt ends sessions made before it.
	PasswordChangedAt time.Time `dynamodbav:"passwordChangedAt" json:"-"`
	Version           int64     `dynamodbav:"version" json:"version"`
}

// Name returns the user's full name, or the email when no name is known.
func (u User) Name() string { return FullName(u.FirstName, u.LastName, u.Email) }

// FullName joins first and last name, falling back to the email.
func FullName(first, last, email string) string {
	switch {
	case first != "" && last != "":
		return first + " " + last
	case first != "":
		return first
	case last != "":
		return last
	}
	return email
}

// Session is a signed-in browser. Only the hash of its token is stored.
type Session struct {
	TokenHash string `dynamodbav:"tokenHash"`
	UserID    string `dynamodbav:"userId"`
	Email     string `dynamodbav:"email"`
	Name      string `dynamodbav:"name"`
	// Verified is false for a user who has not confirmed the email yet:
	// such a session may only finish verification.
	Verified  bool      `dynamodbav:"verified"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
	ExpiresAt time.Time `dynamodbav:"sessionExpiresAt"`
	SourceIP  string    `dynamodbav:"sourceIp"`
	UserAgent string    `dynamodbav:"userAgent"`
}

// Account is a tenant.
type Account struct {
	ID        string    `dynamodbav:"id" json:"id"`
	Name      string    `dynamodbav:"name" json:"name"`
	OwnerID   string    `dynamodbav:"ownerId" json:"ownerId"`
	CreatedAt time.Time `dynamodbav:"createdAt" json:"createdAt"`
	Version   int64     `dynamodbav:"version" json:"version"`
}

// MaxAccountNameLength bounds account names.
const MaxAccountNameLength = 100

// Membership is a user in an account.
type Membership struct {
	AccountID   string        `dynamodbav:"accountId" json:"accountId"`
	AccountName string        `dynamodbav:"accountName" json:"accountName,omitempty"`
	UserID      string        `dynamodbav:"userId" json:"userId"`
	Email       string        `dynamodbav:"email" json:"email"`
	FirstName   string        `dynamodbav:"firstName" json:"firstName"`
	LastName    string        `dynamodbav:"lastName" json:"lastName"`
	Role        Role          `dynamodbav:"role" json:"role"`
	Permissions PermissionSet `dynamodbav:"permissions" json:"permissions"`
	Status      MemberStatus  `dynamodbav:"status" json:"status"`
	Projects    []string      `dynamodbav:"projects" json:"projects,omitempty"`
	// ProjectCount is how many projects the member is assigned to (owned
	// ones included), kept in the transactions that assign them.
	ProjectCount int       `dynamodbav:"projectCount" json:"projectCount"`
	JoinedAt     time.Time `dynamodbav:"joinedAt" json:"joinedAt"`
	LastActiveAt time.Time `dynamodbav:"lastActiveAt" json:"lastActiveAt,omitzero"`
	LastLoginAt  time.Time `dynamodbav:"lastLoginAt" json:"lastLoginAt,omitzero"`
	// RemovedAt and RemovedBy are set on the record a removal keeps of a
	// former member (status removed).
	RemovedAt time.Time   `dynamodbav:"removedAt,omitempty" json:"removedAt,omitzero"`
	RemovedBy *EventActor `dynamodbav:"removedBy,omitempty" json:"removedBy,omitempty"`
	Version   int64       `dynamodbav:"version" json:"version"`
}

// Name is the member's full name, or the email without one.
func (m Membership) Name() string { return FullName(m.FirstName, m.LastName, m.Email) }

// Effective returns what the membership really grants.
func (m Membership) Effective() PermissionSet {
	return EffectivePermissions(m.Role, m.Status, m.Permissions)
}

// AuditEvent is one entry of an account's history. Events are written in
// the same transaction as the change they describe and never changed.
type AuditEvent struct {
	ID        string      `dynamodbav:"id" json:"id"`
	AccountID string      `dynamodbav:"accountId" json:"accountId"`
	At        time.Time   `dynamodbav:"at" json:"at"`
	Actor     EventActor  `dynamodbav:"actor" json:"actor"`
	Action    string      `dynamodbav:"action" json:"action"`
	Target    EventTarget `dynamodbav:"target" json:"target"`
	Before    any         `dynamodbav:"before" json:"before,omitempty"`
	After     any         `dynamodbav:"after" json:"after,omitempty"`
	RequestID string      `dynamodbav:"requestId" json:"requestId,omitempty"`
	SourceIP  string      `dynamodbav:"sourceIp" json:"sourceIp,omitempty"`
	UserAgent string      `dynamodbav:"userAgent" json:"userAgent,omitempty"`
}

// EventActor is who made a change, as they were at the time.
type EventActor struct {
	UserID string `dynamodbav:"userId" json:"userId,omitempty"`
	Email  string `dynamodbav:"email" json:"email,omitempty"`
	Name   string `dynamodbav:"name" json:"name,omitempty"`
	// System is set for changes Roster makes by itself (an invitation expiring).
	System bool `dynamodbav:"system" json:"system,omitempty"`
}

// EventTarget is what a change was made to.
type EventTarget struct {
	Kind   string `dynamodbav:"kind" json:"kind"` // "member", "invitation", "account"
	ID     string `dynamodbav:"id" json:"id"`
	UserID string `dynamodbav:"userId" json:"userId,omitempty"` // the member concerned, for per-member history
	Email  string `dynamodbav:"email" json:"email,omitempty"`
	Name   string `dynamodbav:"name" json:"name,omitempty"`
}
