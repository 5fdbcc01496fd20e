// Package contract is Roster's API contract: the OpenAPI 3.1 document
// (openapi.yaml, written by `make template` from the operations below, the
// request and answer types they name and the error catalog) and the
// validator that holds requests and answers to it. The local gateway and the
// test fixture run every exchange through the validator, so the whole test
// suite exercises the document; the site's API types are generated from it.
//
// Only host tools and tests import this package: it brings kin-openapi,
// which no Lambda function needs.
package contract

import (
	"net/http"
	"reflect"

	"roster/shared/accounts"
	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/history"
	"roster/shared/identity"
	"roster/shared/invite"
	"roster/shared/members"
	"roster/shared/projects"
	"roster/shared/tokens"
)

// access says who may call an operation, and so which refusals it has.
type access int

const (
	// public needs no session.
	public access = iota
	// optionalSession uses the session when there is one.
	optionalSession
	// signedIn needs a session: 401 without one, 403 email_unverified
	// where the operation needs a confirmed address.
	signedIn
	// member needs a session and an active membership of the account in
	// the path: 401, 403 member_deactivated or missing_permission, 404
	// account_not_found.
	member
)

// param is a query parameter.
type param struct {
	Name, Description string
	Schema            *schema
}

// schema is the few JSON Schema keywords query parameters use.
type schema struct {
	Type     string
	Enum     []string
	Min, Max float64
}

func text(name, description string) param {
	return param{name, description, &schema{Type: "string"}}
}

func oneOf(name, description string, values ...string) param {
	return param{name, description, &schema{Type: "string", Enum: values}}
}

func whole(name, description string, min, max float64) param {
	return param{name, description, &schema{Type: "integer", Min: min, Max: max}}
}

var (
	cursorParam  = text("cursor", "The `next` of the previous page; none for the first page.")
	versionParam = whole("version", "The version of what the request acts on; instead of the body's.", 1, 1<<53)
	historyQuery = []param{
		text("member", "Only the events about this member (a user id)."),
		oneOf("period", "How far back: the last week, 2 weeks, 1, 3, 6 or 12 months, or all.", "1w", "2w", "1m", "3m", "6m", "12m", "all"),
		text("action", "Only these actions, comma-separated (at most 20), for example `member.updated,member.removed`."),
	}
)

// Operation describes one route of the API: what it takes, what it
// answers, and the statuses it may refuse with beyond those every
// operation of its access and method has.
type Operation struct {
	Route       string
	ID          string
	Tag         string
	Summary     string
	Description string
	Access      access
	Query       []param
	// Body is the request body's Go type (a zero value); nil for none.
	Body any
	// BodyOptional says the body may be left out (the query can carry its
	// version instead).
	BodyOptional bool
	// Status is the success status; Answer its body's Go type (nil for
	// none). Files answers a file in these media types instead of JSON.
	Status int
	Answer any
	Files  []string
	// Other are further success answers, without a cookie.
	Other []Success
	// SetsCookie says the answer sets (or clears) the session cookie.
	SetsCookie bool
	// Idempotent says the operation honours Idempotency-Key.
	Idempotent bool
	// Cached says the answer carries an ETag and a request with a matching
	// If-None-Match gets 304 without a body.
	Cached bool
	// Errors are the refusal statuses beyond those of the access, the body
	// (400, 413), the Origin check (403) and 500.
	Errors []int
}

// Success is a success answer besides an operation's main one.
type Success struct {
	Status      int
	Answer      any
	Description string
}

const (
	s400 = http.StatusBadRequest
	s401 = http.StatusUnauthorized
	s403 = http.StatusForbidden
	s404 = http.StatusNotFound
	s409 = http.StatusConflict
	s410 = http.StatusGone
	s413 = http.StatusRequestEntityTooLarge
	s422 = http.StatusUnprocessableEntity
	s429 = http.StatusTooManyRequests
	s503 = http.StatusServiceUnavailable
)

// Operations is every route of the API. deploy.Functions lists the same
// routes (a test holds the two together).
var Operations = []Operation{
	{Route: "GET /api/health", ID: "getHealth", Tag: "Service", Summary: "Check that the service and its table are up",
		Access: public, Status: 200, Answer: api.Notice{}, Errors: []int{s503}},
	{Route: "GET /api/permissions", ID: "getPermissions", Tag: "Service", Summary: "The permission catalog and the role presets",
		Description: "The areas and permissions an account's members can hold, with their labels, and the presets the invite dialog offers.",
		Access:      public, Status: 200, Answer: domain.Catalog{}, Cached: true},
	{Route: "GET /api/auth/password-policy", ID: "getPasswordPolicy", Tag: "Service", Summary: "The rules a password must meet",
		Description: "The length bounds and a one-sentence hint that the sign-up, reset and change-password forms show: the rules registration, reset and change apply.",
		Access:      public, Status: 200, Answer: auth.PasswordPolicy{}, Cached: true},

	// Sign-in.
	{Route: "POST /api/auth/register", ID: "register", Tag: "Sign-in", Summary: "Create a login",
		Description: "Creates a login for an address that has none and queues the mail of the link that confirms it; for an address that has a login it mails the owner instead. " +
			"Both answer 202 with the same notice at the same cost, so that registering tells nobody whether an address has a login; the person confirms the address, then signs in. " +
			"With the `invitationToken` of an invitation mailed to the same address, the link has proved the address: the login is created confirmed and signed in (201, with the session cookie), " +
			"or, when the address has a login, 409 `email_taken`.",
		Access: public, Body: identity.Registration{}, Status: 201, Answer: identity.UserBody{}, SetsCookie: true,
		Other: []Success{{Status: 202, Answer: api.Notice{}, Description: "Accepted: check the address's mailbox."}}, Errors: []int{s409, s429, s503}},
	{Route: "POST /api/auth/verify", ID: "verifyEmail", Tag: "Sign-in", Summary: "Confirm an email address with the emailed token",
		Access: public, Body: api.TokenBody{}, Status: 200, Answer: identity.UserBody{}, Errors: []int{s404, s409, s410}},
	{Route: "POST /api/auth/login", ID: "login", Tag: "Sign-in", Summary: "Sign in",
		Description: "Signs in with the password and, where 2FA is on, a TOTP or recovery code: without one the answer is 401 `code_required`. Unknown and known addresses get the same answer.",
		Access:      public, Body: identity.Credentials{}, Status: 200, Answer: identity.UserBody{}, SetsCookie: true, Errors: []int{s401, s429}},
	{Route: "POST /api/auth/logout", ID: "logout", Tag: "Sign-in", Summary: "Sign out",
		Description: "Ends the session at once, if there is one, and clears the cookie.",
		Access:      optionalSession, Status: 204, SetsCookie: true},
	{Route: "POST /api/auth/password-reset", ID: "requestPasswordReset", Tag: "Sign-in", Summary: "Mail a password reset link",
		Description: "Answers the same, at the same cost, for any address; a login's address gets the link.",
		Access:      public, Body: identity.EmailBody{}, Status: 202, Answer: api.Notice{}, Errors: []int{s429, s503}},
	{Route: "POST /api/auth/verification", ID: "requestVerification", Tag: "Sign-in", Summary: "Mail the address confirmation link again, signed out",
		Description: "For someone who registered and lost the mail. Answers the same, at the same cost, for any address; only a login whose address is not confirmed yet gets the link.",
		Access:      public, Body: identity.EmailBody{}, Status: 202, Answer: api.Notice{}, Errors: []int{s429, s503}},
	{Route: "POST /api/auth/password-reset/confirm", ID: "resetPassword", Tag: "Sign-in", Summary: "Set a new password with the emailed token",
		Description: "Sets the new password and ends every session of the login.",
		Access:      public, Body: identity.ResetConfirmation{}, Status: 204, Errors: []int{s404, s410}},

	// The user's own login.
	{Route: "GET /api/me", ID: "getMe", Tag: "Profile", Summary: "The signed-in user's profile",
		Access: signedIn, Status: 200, Answer: domain.Profile{}},
	{Route: "PATCH /api/me", ID: "updateMe", Tag: "Profile", Summary: "Change one's own name",
		Description: "Changes the name on the login and on every membership.",
		Access:      signedIn, Body: identity.NameChange{}, Status: 200, Answer: domain.Profile{}, Errors: []int{s409}},
	{Route: "POST /api/me/verification", ID: "resendVerification", Tag: "Profile", Summary: "Mail the address confirmation link again",
		Access: signedIn, Status: 202, Answer: api.Notice{}, Errors: []int{s409, s429, s503}},
	{Route: "POST /api/me/password", ID: "changePassword", Tag: "Profile", Summary: "Change the password",
		Description: "Changes the password and ends the user's other sessions.",
		Access:      signedIn, Body: identity.PasswordChange{}, Status: 204, Errors: []int{s429}},
	{Route: "POST /api/me/2fa", ID: "startTwoFactor", Tag: "Profile", Summary: "Start enrolling a TOTP second factor",
		Access: signedIn, Body: identity.PasswordBody{}, Status: 200, Answer: identity.Enrolment{}, Errors: []int{s409, s429}},
	{Route: "POST /api/me/2fa/confirm", ID: "confirmTwoFactor", Tag: "Profile", Summary: "Turn 2FA on with a first code",
		Description: "Answers the recovery codes, once.",
		Access:      signedIn, Body: identity.CodeBody{}, Status: 200, Answer: identity.RecoveryCodeList{}, Errors: []int{s409, s429}},
	{Route: "DELETE /api/me/2fa", ID: "deleteTwoFactor", Tag: "Profile", Summary: "Turn 2FA off with the password or a code",
		Access: signedIn, Body: identity.TwoFactorProof{}, Status: 204, Errors: []int{s409, s429}},

	// Accounts.
	{Route: "POST /api/accounts", ID: "createAccount", Tag: "Accounts", Summary: "Create an account owned by the signed-in user",
		Description: "At most 10 accounts a day per person (429 `rate_limited` with `Retry-After`).",
		Access:      signedIn, Body: accounts.Creation{}, Status: 201, Answer: accounts.Summary{}, Errors: []int{s429}},
	{Route: "GET /api/accounts", ID: "listAccounts", Tag: "Accounts", Summary: "The signed-in user's accounts, with their role and status in each",
		Access: signedIn, Status: 200, Answer: accounts.SummaryList{}},
	{Route: "GET /api/accounts/{accountId}", ID: "getAccount", Tag: "Accounts", Summary: "An account's name, owner and version",
		Access: member, Status: 200, Answer: domain.Account{}},
	{Route: "POST /api/accounts/{accountId}/token", ID: "issueAccessToken", Tag: "Host product", Summary: "An access token for the host product's services",
		Description: "A JWT (ES256, valid 5 minutes) saying who the signed-in member is in this account: `sub`, `email`, `account`, `role`, `permissions` (`[\"all\"]` or the list) and `projects`, " +
			"with `iss` the site's origin and `aud` the deployment's audience. Verify it with the keys at `/.well-known/jwks.json`. A deactivated member gets 403 `member_deactivated`, a removed one 404.",
		Access: member, Status: 200, Answer: tokens.AccessToken{}},
	{Route: "GET /.well-known/jwks.json", ID: "getSigningKeys", Tag: "Host product", Summary: "The public keys that verify access tokens",
		Description: "A JSON Web Key Set: the key that signs now first, then any retired key whose tokens may still be valid. Cacheable for 5 minutes.",
		Access:      public, Status: 200, Answer: tokens.JWKS{}},
	{Route: "GET /.well-known/openid-configuration", ID: "getDiscovery", Tag: "Host product", Summary: "The issuer's discovery document",
		Description: "The issuer and where its keys are, as JWT verifiers (API Gateway's JWT authorizer among them) read it. Cacheable for 5 minutes.",
		Access:      public, Status: 200, Answer: tokens.Discovery{}},
	{Route: "PATCH /api/accounts/{accountId}", ID: "renameAccount", Tag: "Accounts", Summary: "Rename an account",
		Access: member, Body: accounts.Rename{}, Status: 200, Answer: domain.Account{}, Errors: []int{s409}},
	{Route: "POST /api/accounts/{accountId}/ownership", ID: "transferOwnership", Tag: "Accounts", Summary: "Hand the account over to an active admin",
		Description: "The owner confirms with their password; the answer is the new owner's membership.",
		Access:      member, Body: members.HandOver{}, Status: 200, Answer: members.Member{}, Errors: []int{s409, s429}},

	// Members.
	{Route: "GET /api/accounts/{accountId}/members", ID: "listMembers", Tag: "Members", Summary: "The account's members",
		Description: "Members by status in name order, paged; or, with `q`, those whose names or email start with its words. Needs `users.view`.",
		Access:      member, Status: 200, Answer: members.List{},
		Query: []param{
			oneOf("status", "Which members: active (the default), deactivated, or removed (former members: when and by whom, their last role and permissions; not searchable).", "active", "deactivated", "removed"),
			text("q", "Words that start a first name, a last name or the email."),
			cursorParam,
			whole("limit", "The page size, 50 by default.", 1, members.MaxLimit),
		}},
	{Route: "GET /api/accounts/{accountId}/members/{userId}", ID: "getMember", Tag: "Members", Summary: "One member",
		Access: member, Status: 200, Answer: members.Member{}},
	{Route: "PATCH /api/accounts/{accountId}/members/{userId}", ID: "updateMember", Tag: "Members", Summary: "Edit a member's role, permissions or names",
		Description: "The grant rules apply: nobody grants what they lack. A stale version is 409 `stale_version` with the current member.",
		Access:      member, Body: members.Edit{}, Status: 200, Answer: members.Member{}, Errors: []int{s409}},
	{Route: "POST /api/accounts/{accountId}/members/{userId}/deactivate", ID: "deactivateMember", Tag: "Members", Summary: "Deactivate a member",
		Description: "The member keeps role and permissions and is refused from their next request on. The projects they own go to `projectsTo` (409 `owns_projects`, naming them, without it).",
		Access:      member, Query: []param{versionParam, text("projectsTo", "Who takes over the member's projects.")},
		Body: members.Exit{}, BodyOptional: true, Status: 200, Answer: members.Member{}, Errors: []int{s409}},
	{Route: "POST /api/accounts/{accountId}/members/{userId}/reactivate", ID: "reactivateMember", Tag: "Members", Summary: "Reactivate a member",
		Access: member, Query: []param{versionParam}, Body: members.Exit{}, BodyOptional: true, Status: 200, Answer: members.Member{}, Errors: []int{s409}},
	{Route: "DELETE /api/accounts/{accountId}/members/{userId}", ID: "removeMember", Tag: "Members", Summary: "Remove a member from the account",
		Description: "Their access to the account and their project assignments end; the projects they own go to `projectsTo`. Their login and other accounts are untouched.",
		Access:      member, Query: []param{versionParam, text("projectsTo", "Who takes over the member's projects.")},
		Body: members.Exit{}, BodyOptional: true, Status: 204, Errors: []int{s409}},
	{Route: "POST /api/accounts/{accountId}/members/{userId}/transfer", ID: "transferMember", Tag: "Members", Summary: "Move a member to another account",
		Description: "Moves the member, with the projects they own, to another account where the actor manages users too. Answers the member in the destination.",
		Access:      member, Body: members.TransferInput{}, Status: 200, Answer: members.Member{}, Errors: []int{s409}},
	{Route: "GET /api/accounts/{accountId}/members/{userId}/projects", ID: "listMemberProjects", Tag: "Projects", Summary: "The projects a member is assigned to",
		Access: member, Query: []param{cursorParam}, Status: 200, Answer: projects.AssignmentPage{}},

	// Invitations.
	{Route: "POST /api/accounts/{accountId}/invitations", ID: "createInvitation", Tag: "Invitations", Summary: "Invite someone by email",
		Description: "Mails an invitation that is valid for 7 days. One pending invitation per address; a retry with the same `Idempotency-Key` answers the first result.",
		Access:      member, Body: invite.CreateInput{}, Status: 201, Answer: invite.View{}, Idempotent: true, Errors: []int{s409, s422, s429, s503}},
	{Route: "GET /api/accounts/{accountId}/invitations", ID: "listInvitations", Tag: "Invitations", Summary: "The account's pending invitations",
		Access: member, Query: []param{cursorParam}, Status: 200, Answer: invite.Page{}},
	{Route: "PATCH /api/accounts/{accountId}/invitations/{id}", ID: "updateInvitation", Tag: "Invitations", Summary: "Edit a pending invitation's role, permissions or names",
		Access: member, Body: invite.EditInput{}, Status: 200, Answer: invite.View{}, Errors: []int{s409, s410}},
	{Route: "DELETE /api/accounts/{accountId}/invitations/{id}", ID: "revokeInvitation", Tag: "Invitations", Summary: "Revoke a pending invitation",
		Access: member, Status: 204, Errors: []int{s409, s410}},
	{Route: "POST /api/accounts/{accountId}/invitations/{id}/resend", ID: "resendInvitation", Tag: "Invitations", Summary: "Mail a pending invitation again, with a new link",
		Access: member, Status: 200, Answer: invite.View{}, Errors: []int{s409, s410, s429, s503}},
	{Route: "POST /api/invitations/preview", ID: "previewInvitation", Tag: "Invitations", Summary: "What an invitation link offers",
		Access: public, Body: api.TokenBody{}, Status: 200, Answer: invite.Preview{}, Errors: []int{s404, s410}},
	{Route: "POST /api/invitations/accept", ID: "acceptInvitation", Tag: "Invitations", Summary: "Accept an invitation as the signed-in user",
		Access: signedIn, Body: api.TokenBody{}, Status: 200, Answer: invite.Accepted{}, Errors: []int{s404, s409, s410}},

	// Projects.
	{Route: "GET /api/accounts/{accountId}/projects", ID: "listProjects", Tag: "Projects", Summary: "The account's projects in name order",
		Access: member, Query: []param{text("q", "A prefix of the project's name."), cursorParam}, Status: 200, Answer: projects.Page{}},
	{Route: "POST /api/accounts/{accountId}/projects", ID: "createProject", Tag: "Projects", Summary: "Create a project",
		Access: member, Body: projects.Creation{}, Status: 201, Answer: projects.View{}, Errors: []int{s409}},
	{Route: "GET /api/accounts/{accountId}/projects/{projectId}", ID: "getProject", Tag: "Projects", Summary: "One project",
		Access: member, Status: 200, Answer: projects.View{}},
	{Route: "PATCH /api/accounts/{accountId}/projects/{projectId}", ID: "updateProject", Tag: "Projects", Summary: "Rename a project or change its owner",
		Access: member, Body: projects.Edit{}, Status: 200, Answer: projects.View{}, Errors: []int{s409}},
	{Route: "DELETE /api/accounts/{accountId}/projects/{projectId}", ID: "deleteProject", Tag: "Projects", Summary: "Delete a project and its assignments",
		Access: member, Query: []param{versionParam}, Body: api.VersionBody{}, BodyOptional: true, Status: 204, Errors: []int{s409}},
	{Route: "GET /api/accounts/{accountId}/projects/{projectId}/members", ID: "listProjectMembers", Tag: "Projects", Summary: "A project's members",
		Access: member, Query: []param{cursorParam}, Status: 200, Answer: projects.MemberPage{}},
	{Route: "PUT /api/accounts/{accountId}/projects/{projectId}/members/{userId}", ID: "addProjectMember", Tag: "Projects", Summary: "Assign a member to a project",
		Access: member, Status: 200, Answer: projects.Member{}, Errors: []int{s409}},
	{Route: "DELETE /api/accounts/{accountId}/projects/{projectId}/members/{userId}", ID: "removeProjectMember", Tag: "Projects", Summary: "End a member's assignment to a project",
		Access: member, Status: 204, Errors: []int{s409}},

	// History.
	{Route: "GET /api/accounts/{accountId}/history", ID: "listHistory", Tag: "History", Summary: "The account's history, newest first",
		Access: member, Status: 200, Answer: history.Page{},
		Query: append(append([]param{}, historyQuery...), whole("limit", "The page size.", 1, 200), cursorParam)},
	{Route: "GET /api/accounts/{accountId}/history/export", ID: "exportHistory", Tag: "History", Summary: "The account's history as a file",
		Description: "CSV or JSON Lines, as an attachment, in parts of at most 5,000 events (about 1 MB): the `Roster-Next` header holds the cursor of the next part and is absent on the last; `Roster-Events` counts the part's events and `Roster-Through` is the time of its oldest. The parts, joined in order, are the file (only the first holds the CSV header). Needs `history.manage`.",
		Access:      member, Status: 200, Files: []string{"text/csv", "application/x-ndjson"},
		Query: append([]param{oneOf("format", "The file's format.", "csv", "jsonl"), text("cursor", "The `Roster-Next` of the part before; none for the first part.")}, historyQuery...)},
}

// stringEnums are the string types whose values are a closed set. Roles
// are not: a deployment names its own.
var stringEnums = map[reflect.Type][]string{
	reflect.TypeFor[domain.MemberStatus](): {string(domain.StatusActive), string(domain.StatusDeactivated), string(domain.StatusRemoved)},
}

// componentNames names every Go type whose schema is a component: the
// names the site's generated types carry. Request bodies list their
// required fields.
var componentNames = map[reflect.Type]component{
	reflect.TypeFor[api.Notice]():                 {Name: "Notice"},
	reflect.TypeFor[tokens.AccessToken]():         {Name: "AccessToken"},
	reflect.TypeFor[tokens.JWKS]():                {Name: "JWKS"},
	reflect.TypeFor[tokens.JWK]():                 {Name: "JWK"},
	reflect.TypeFor[tokens.Discovery]():           {Name: "Discovery"},
	reflect.TypeFor[auth.PasswordPolicy]():        {Name: "PasswordPolicy"},
	reflect.TypeFor[api.TokenBody]():              {Name: "TokenBody", Required: []string{"token"}},
	reflect.TypeFor[api.VersionBody]():            {Name: "VersionBody", Required: []string{"version"}},
	reflect.TypeFor[domain.Catalog]():             {Name: "Catalog"},
	reflect.TypeFor[domain.Area]():                {Name: "PermissionArea"},
	reflect.TypeFor[domain.Permission]():          {Name: "Permission"},
	reflect.TypeFor[domain.Preset]():              {Name: "Preset"},
	reflect.TypeFor[domain.RoleDef]():             {Name: "RoleDefinition"},
	reflect.TypeFor[domain.PermissionSet]():       {Name: "PermissionSet", InputName: "PermissionSetInput"},
	reflect.TypeFor[domain.Profile]():             {Name: "Profile"},
	reflect.TypeFor[domain.Account]():             {Name: "Account"},
	reflect.TypeFor[domain.EventActor]():          {Name: "HistoryActor"},
	reflect.TypeFor[domain.EventTarget]():         {Name: "HistoryTarget"},
	reflect.TypeFor[identity.Registration]():      {Name: "Registration", Required: []string{"email", "password"}},
	reflect.TypeFor[identity.Credentials]():       {Name: "Credentials", Required: []string{"email", "password"}},
	reflect.TypeFor[identity.NameChange]():        {Name: "NameChange"},
	reflect.TypeFor[identity.PasswordChange]():    {Name: "PasswordChange", Required: []string{"currentPassword", "newPassword"}},
	reflect.TypeFor[identity.TwoFactorProof]():    {Name: "TwoFactorProof"},
	reflect.TypeFor[identity.Enrolment]():         {Name: "Enrolment"},
	reflect.TypeFor[identity.UserBody]():          {Name: "UserBody"},
	reflect.TypeFor[identity.EmailBody]():         {Name: "EmailBody", Required: []string{"email"}},
	reflect.TypeFor[identity.ResetConfirmation](): {Name: "ResetConfirmation", Required: []string{"token", "password"}},
	reflect.TypeFor[identity.PasswordBody]():      {Name: "PasswordBody", Required: []string{"password"}},
	reflect.TypeFor[identity.CodeBody]():          {Name: "CodeBody", Required: []string{"code"}},
	reflect.TypeFor[identity.RecoveryCodeList]():  {Name: "RecoveryCodes"},
	reflect.TypeFor[accounts.Creation]():          {Name: "AccountCreation", Required: []string{"name"}},
	reflect.TypeFor[accounts.SummaryList]():       {Name: "AccountList"},
	reflect.TypeFor[accounts.Summary]():           {Name: "AccountSummary"},
	reflect.TypeFor[accounts.Rename]():            {Name: "AccountRename", Required: []string{"name"}},
	reflect.TypeFor[members.Member]():             {Name: "Member"},
	reflect.TypeFor[members.List]():               {Name: "MemberPage"},
	reflect.TypeFor[members.Edit]():               {Name: "MemberEdit", Required: []string{"version"}},
	reflect.TypeFor[members.HandOver]():           {Name: "OwnershipHandover", Required: []string{"userId", "password", "version"}},
	reflect.TypeFor[members.TransferInput]():      {Name: "MemberTransfer", Required: []string{"version", "toAccountId"}},
	reflect.TypeFor[members.Exit]():               {Name: "MemberExit"},
	reflect.TypeFor[invite.CreateInput]():         {Name: "InvitationCreation", Required: []string{"email"}},
	reflect.TypeFor[invite.EditInput]():           {Name: "InvitationEdit"},
	reflect.TypeFor[invite.View]():                {Name: "Invitation"},
	reflect.TypeFor[invite.Person]():              {Name: "Inviter"},
	reflect.TypeFor[invite.Page]():                {Name: "InvitationPage"},
	reflect.TypeFor[invite.Preview]():             {Name: "InvitationPreview"},
	reflect.TypeFor[invite.Accepted]():            {Name: "InvitationAccepted"},
	reflect.TypeFor[projects.View]():              {Name: "Project"},
	reflect.TypeFor[projects.Page]():              {Name: "ProjectPage"},
	reflect.TypeFor[projects.Creation]():          {Name: "ProjectCreation", Required: []string{"name"}},
	reflect.TypeFor[projects.Edit]():              {Name: "ProjectEdit"},
	reflect.TypeFor[projects.Member]():            {Name: "ProjectMember"},
	reflect.TypeFor[projects.MemberPage]():        {Name: "ProjectMemberPage"},
	reflect.TypeFor[projects.Assignment]():        {Name: "Assignment"},
	reflect.TypeFor[projects.AssignmentPage]():    {Name: "AssignmentPage"},
	reflect.TypeFor[history.Page]():               {Name: "HistoryPage"},
	reflect.TypeFor[history.Item]():               {Name: "HistoryEvent"},
}
