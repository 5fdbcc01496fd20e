package deploy

import "strconv"

// Table actions shared by many functions. Authenticated functions read the
// session and the actor's membership with one BatchGetItem and refresh
// lastActiveAt with UpdateItem.
var (
	authRead = []string{"dynamodb:BatchGetItem", "dynamodb:UpdateItem"}
	readOnly = []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"}
)

// invitationEnv configures the functions that send invitations: the link's
// validity and the account's hourly cap on invitation emails.
var invitationEnv = map[string]string{"INVITATION_TTL_HOURS": "168", "INVITATIONS_PER_HOUR": "50"}

// with returns actions followed by more.
func with(actions []string, more ...string) []string {
	return append(append([]string(nil), actions...), more...)
}

// Functions is every Lambda function of Roster. Adding an endpoint is one
// entry here, its handler with its tests, its events/<name>.json sample,
// and `make template` (which writes its main.go and template.yaml).
var Functions = []Function{
	{Name: "health", Handler: "app.Health", Description: "GET /api/health - checks that the table is reachable.",
		Routes: []Route{{"GET", "/api/health"}}, TableActions: []string{"dynamodb:GetItem"}, TimeoutSeconds: 5},
	{Name: "permissions", Handler: "app.Permissions", Description: "GET /api/permissions - the permission catalog and role presets.",
		Routes: []Route{{"GET", "/api/permissions"}}, TimeoutSeconds: 5},
	{Name: "password-policy", Handler: "app.PasswordPolicy", Description: "GET /api/auth/password-policy - the rules a password must meet, for the forms' hints.",
		Routes: []Route{{"GET", "/api/auth/password-policy"}}, TimeoutSeconds: 5},

	// Members. Edits are transactions of the membership, its search entries
	// and the audit events: PutItem, and DeleteItem where search entries or
	// the membership go (an edit of names, a removal). Deactivation and
	// removal hand the member's projects over in the same transaction: they
	// query the member's projects and check the new owner.
	{Name: "members-list", Handler: "memberhttp.List", Description: "GET /api/accounts/{accountId}/members - the account's members by status in name order, paged, or a prefix search.",
		Routes: []Route{{"GET", "/api/accounts/{accountId}/members"}}, TableActions: with(authRead, "dynamodb:Query")},
	{Name: "member-get", Handler: "memberhttp.Get", Description: "GET /api/accounts/{accountId}/members/{userId} - one member.",
		Routes: []Route{{"GET", "/api/accounts/{accountId}/members/{userId}"}}, TableActions: with(authRead, "dynamodb:GetItem")},
	{Name: "member-update", Handler: "memberhttp.Update", Description: "PATCH /api/accounts/{accountId}/members/{userId} - edits a member's role, permissions and names.",
		Routes: []Route{{"PATCH", "/api/accounts/{accountId}/members/{userId}"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem")},
	{Name: "member-deactivate", Handler: "memberhttp.Deactivate", Description: "POST /api/accounts/{accountId}/members/{userId}/deactivate - blocks a member, keeping role and permissions.",
		Routes: []Route{{"POST", "/api/accounts/{accountId}/members/{userId}/deactivate"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:ConditionCheckItem")},
	{Name: "member-reactivate", Handler: "memberhttp.Reactivate", Description: "POST /api/accounts/{accountId}/members/{userId}/reactivate - restores a deactivated member.",
		Routes: []Route{{"POST", "/api/accounts/{accountId}/members/{userId}/reactivate"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem")},
	{Name: "member-remove", Handler: "memberhttp.Remove", Description: "DELETE /api/accounts/{accountId}/members/{userId} - removes a member's access to the account.",
		Routes: []Route{{"DELETE", "/api/accounts/{accountId}/members/{userId}"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:ConditionCheckItem")},
	{Name: "member-transfer", Handler: "memberhttp.Transfer", Description: "POST /api/accounts/{accountId}/members/{userId}/transfer - moves a member, with the projects they own, to another account.",
		Routes: []Route{{"POST", "/api/accounts/{accountId}/members/{userId}/transfer"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem")},
	{Name: "member-ownership", Handler: "memberhttp.Ownership", Description: "POST /api/accounts/{accountId}/ownership - the owner hands the account over to an active admin.",
		Routes: []Route{{"POST", "/api/accounts/{accountId}/ownership"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem"), MemoryMB: passwordMemoryMB},

	// Sign-in and the user's own login. Rate limits are UpdateItem (a hit)
	// and BatchGetItem (reading them).
	{Name: "auth-register", Handler: "identityhttp.Register", Description: "POST /api/auth/register - creates a login and queues its verification mail (or mails a taken address's owner, answering the same), or confirms the address at once from an invitation mailed to it.",
		Routes: []Route{{"POST", "/api/auth/register"}}, TableActions: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}, MemoryMB: passwordMemoryMB},
	{Name: "auth-verify", Handler: "identityhttp.Verify", Description: "POST /api/auth/verify - confirms an email address with the emailed token.",
		Routes: []Route{{"POST", "/api/auth/verify"}}, TableActions: []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"}},
	{Name: "auth-login", Handler: "identityhttp.Login", Description: "POST /api/auth/login - signs in with password and, where enrolled, a TOTP or recovery code.",
		Routes: []Route{{"POST", "/api/auth/login"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"}, MemoryMB: passwordMemoryMB},
	{Name: "auth-logout", Handler: "identityhttp.Logout", Description: "POST /api/auth/logout - ends the session at once.",
		Routes: []Route{{"POST", "/api/auth/logout"}}, TableActions: []string{"dynamodb:DeleteItem"}},
	{Name: "auth-password-reset", Handler: "identityhttp.PasswordReset", Description: "POST /api/auth/password-reset - queues a password reset mail (same answer and cost for any address).",
		Routes: []Route{{"POST", "/api/auth/password-reset"}}, TableActions: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}},
	{Name: "auth-verification", Handler: "identityhttp.RequestVerification", Description: "POST /api/auth/verification - queues the verification mail again, signed out (same answer and cost for any address).",
		Routes: []Route{{"POST", "/api/auth/verification"}}, TableActions: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}},
	{Name: "auth-password-reset-confirm", Handler: "identityhttp.PasswordResetConfirm", Description: "POST /api/auth/password-reset/confirm - sets a new password with the emailed token and ends all sessions.",
		Routes: []Route{{"POST", "/api/auth/password-reset/confirm"}}, TableActions: []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}, MemoryMB: passwordMemoryMB},
	{Name: "me", Handler: "identityhttp.Me", Description: "GET /api/me - the signed-in user's own profile.",
		Routes: []Route{{"GET", "/api/me"}}, TableActions: []string{"dynamodb:GetItem"}},
	{Name: "me-update", Handler: "identityhttp.UpdateMe", Description: "PATCH /api/me - changes the user's own name (names-sync copies it onto each membership).",
		Routes: []Route{{"PATCH", "/api/me"}}, TableActions: []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"}},
	{Name: "me-verification", Handler: "identityhttp.ResendVerification", Description: "POST /api/me/verification - queues the verification mail again.",
		Routes: []Route{{"POST", "/api/me/verification"}}, TableActions: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}},
	{Name: "me-password", Handler: "identityhttp.ChangePassword", Description: "POST /api/me/password - changes the password and ends the user's other sessions.",
		Routes: []Route{{"POST", "/api/me/password"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"}, MemoryMB: passwordMemoryMB},
	{Name: "me-2fa", Handler: "identityhttp.StartTwoFactor", Description: "POST /api/me/2fa - starts enrolling a TOTP second factor.",
		Routes: []Route{{"POST", "/api/me/2fa"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}, MemoryMB: passwordMemoryMB},
	{Name: "me-2fa-confirm", Handler: "identityhttp.ConfirmTwoFactor", Description: "POST /api/me/2fa/confirm - turns 2FA on with a first code and returns the recovery codes.",
		Routes: []Route{{"POST", "/api/me/2fa/confirm"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}},
	{Name: "me-2fa-delete", Handler: "identityhttp.DeleteTwoFactor", Description: "DELETE /api/me/2fa - turns 2FA off with the password or a code.",
		Routes: []Route{{"DELETE", "/api/me/2fa"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}, MemoryMB: passwordMemoryMB},

	// Accounts.
	{Name: "accounts-create", Handler: "accounthttp.Create", Description: "POST /api/accounts - creates an account owned by the signed-in user.",
		Routes: []Route{{"POST", "/api/accounts"}}, TableActions: []string{"dynamodb:GetItem", "dynamodb:PutItem"}},
	{Name: "accounts-list", Handler: "accounthttp.List", Description: "GET /api/accounts - the accounts of the signed-in user with their role in each.",
		Routes: []Route{{"GET", "/api/accounts"}}, TableActions: readOnly},
	{Name: "account-get", Handler: "accounthttp.Get", Description: "GET /api/accounts/{accountId} - the account's name, owner and version, for its members.",
		Routes: []Route{{"GET", "/api/accounts/{accountId}"}}, TableActions: with(authRead, "dynamodb:GetItem")},
	{Name: "account-update", Handler: "accounthttp.Rename", Description: "PATCH /api/accounts/{accountId} - renames the account (account.renamed event; names-sync copies the name onto each membership).",
		Routes: []Route{{"PATCH", "/api/accounts/{accountId}"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem")},

	// Invitations.
	{Name: "invitations-create", Handler: "invitehttp.Create", Description: "POST /api/accounts/{accountId}/invitations - invites an email (queues the mail of its link).",
		Routes:       []Route{{"POST", "/api/accounts/{accountId}/invitations"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"},
		Env:          invitationEnv},
	{Name: "invitations-list", Handler: "invitehttp.List", Description: "GET /api/accounts/{accountId}/invitations - pending invitations of an account, paged.",
		Routes: []Route{{"GET", "/api/accounts/{accountId}/invitations"}}, TableActions: with(authRead, "dynamodb:Query")},
	{Name: "invitation-update", Handler: "invitehttp.Update", Description: "PATCH /api/accounts/{accountId}/invitations/{id} - edits a pending invitation.",
		Routes: []Route{{"PATCH", "/api/accounts/{accountId}/invitations/{id}"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem")},
	{Name: "invitation-revoke", Handler: "invitehttp.Revoke", Description: "DELETE /api/accounts/{accountId}/invitations/{id} - revokes a pending invitation.",
		Routes: []Route{{"DELETE", "/api/accounts/{accountId}/invitations/{id}"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem")},
	{Name: "invitation-resend", Handler: "invitehttp.Resend", Description: "POST /api/accounts/{accountId}/invitations/{id}/resend - queues a pending invitation's mail again, with a new link.",
		Routes:       []Route{{"POST", "/api/accounts/{accountId}/invitations/{id}/resend"}},
		TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"),
		Env:          invitationEnv},
	{Name: "invitation-preview", Handler: "invitehttp.Preview", Description: "POST /api/invitations/preview - what an invitation link offers (uses nothing up).",
		Routes: []Route{{"POST", "/api/invitations/preview"}}, TableActions: []string{"dynamodb:GetItem"}},
	{Name: "invitation-accept", Handler: "invitehttp.Accept", Description: "POST /api/invitations/accept - accepts an invitation for the signed-in user.",
		Routes: []Route{{"POST", "/api/invitations/accept"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem")},
	{Name: "stream-expired", Handler: "invitehttp.Expired", Description: "Table stream - writes invitation.expired when TTL deletes a pending invitation's expiry marker (no route).",
		Stream: true, StreamFilters: []map[string]any{ExpiredInvitationFilter}, DeadLetters: true, TableActions: []string{"dynamodb:PutItem"}, TimeoutSeconds: 30},
	// Access tokens for the host product: only these two touch the
	// signing keys (kms:Sign on the current one for the first,
	// kms:GetPublicKey for both).
	{Name: "token-issue", Handler: "tokenhttp.Issue", Description: "POST /api/accounts/{accountId}/token - a signed access token (JWT, ES256, 5 minutes) of the member's role, permissions and projects in the account, for the host product.",
		Routes: []Route{{"POST", "/api/accounts/{accountId}/token"}}, TableActions: with(authRead, "dynamodb:Query"), TokenKeys: TokenKeysSign},
	{Name: "token-keys", Handler: "tokenhttp.Keys", Description: "GET /.well-known/jwks.json and /.well-known/openid-configuration - the public keys that verify access tokens, and the issuer's discovery document.",
		Routes: []Route{{"GET", "/.well-known/jwks.json"}, {"GET", "/.well-known/openid-configuration"}}, TokenKeys: TokenKeysRead},
	{Name: "mail-sender", Handler: "mailsender.Send", Description: "Table stream - sends the outbox's queued emails through SES and records sent or failed (the only function that calls SES; no route).",
		Stream: true, StreamFilters: []map[string]any{QueuedMailFilter}, StreamBatchSize: 3, StreamRetries: MailRetries, DeadLetters: true,
		TableActions: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"},
		SendsMail:    true, TimeoutSeconds: 60, Env: map[string]string{"MAIL_MAX_ATTEMPTS": strconv.Itoa(MailRetries + 1), "MAIL_SEND_RATE": "10"}},
	{Name: "events-publisher", Handler: "eventbus.Publish", Description: "Table stream - publishes every history event to EventBridge (source roster, detail-type the action), in order; kept in its dead-letter queue after its last retry (no route).",
		Stream: true, StreamFilters: []map[string]any{HistoryEventFilter}, StreamBatchSize: 50, DeadLetters: true, PublishesEvents: true, TimeoutSeconds: 30},
	{Name: "names-sync", Handler: "namesync.Function", Description: "Table stream - copies a renamed user's names, or a renamed account's name, onto their memberships, after the rename's request (no route).",
		Stream: true, StreamFilters: []map[string]any{NameSyncFilter}, StreamBatchSize: 10, DeadLetters: true, TimeoutSeconds: 300,
		TableActions: []string{"dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"}},
	{Name: "ses-events", Handler: "invitehttp.MailEvents", Description: "SNS (SES email events) - marks invitations bounced, complained or failed (no route).",
		MailEvents: true, DeadLetters: true, TableActions: []string{"dynamodb:GetItem", "dynamodb:UpdateItem"}},

	// Projects: reads need projects.view, changes projects.manage. Changes
	// are transactions of the project, the assignments, the members'
	// counts (UpdateItem) and the event.
	{Name: "projects-list", Handler: "projecthttp.List", Description: "GET /api/accounts/{accountId}/projects - the account's projects in name order, paged, or a name prefix search.",
		Routes: []Route{{"GET", "/api/accounts/{accountId}/projects"}}, TableActions: with(authRead, "dynamodb:Query")},
	{Name: "projects-create", Handler: "projecthttp.Create", Description: "POST /api/accounts/{accountId}/projects - creates a project owned by an active member.",
		Routes: []Route{{"POST", "/api/accounts/{accountId}/projects"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem")},
	{Name: "project-get", Handler: "projecthttp.Get", Description: "GET /api/accounts/{accountId}/projects/{projectId} - one project.",
		Routes: []Route{{"GET", "/api/accounts/{accountId}/projects/{projectId}"}}, TableActions: with(authRead, "dynamodb:GetItem")},
	{Name: "project-update", Handler: "projecthttp.Update", Description: "PATCH /api/accounts/{accountId}/projects/{projectId} - renames a project or gives it a new owner.",
		Routes: []Route{{"PATCH", "/api/accounts/{accountId}/projects/{projectId}"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:ConditionCheckItem")},
	{Name: "project-delete", Handler: "projecthttp.Delete", Description: "DELETE /api/accounts/{accountId}/projects/{projectId} - deletes a project, ending its assignments.",
		Routes: []Route{{"DELETE", "/api/accounts/{accountId}/projects/{projectId}"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem")},
	{Name: "project-members", Handler: "projecthttp.Members", Description: "GET /api/accounts/{accountId}/projects/{projectId}/members - the project's members, paged.",
		Routes: []Route{{"GET", "/api/accounts/{accountId}/projects/{projectId}/members"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:Query")},
	{Name: "project-member-add", Handler: "projecthttp.AddMember", Description: "PUT /api/accounts/{accountId}/projects/{projectId}/members/{userId} - assigns a member to a project.",
		Routes: []Route{{"PUT", "/api/accounts/{accountId}/projects/{projectId}/members/{userId}"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem")},
	{Name: "project-member-remove", Handler: "projecthttp.RemoveMember", Description: "DELETE /api/accounts/{accountId}/projects/{projectId}/members/{userId} - ends a member's assignment to a project.",
		Routes: []Route{{"DELETE", "/api/accounts/{accountId}/projects/{projectId}/members/{userId}"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem")},
	{Name: "member-projects", Handler: "projecthttp.MemberProjects", Description: "GET /api/accounts/{accountId}/members/{userId}/projects - a member's projects, with whether they own each.",
		Routes: []Route{{"GET", "/api/accounts/{accountId}/members/{userId}/projects"}}, TableActions: with(authRead, "dynamodb:GetItem", "dynamodb:Query")},

	// History: read only. No role but the stream function's and the
	// functions that make changes can write an event, and none can change or
	// delete one.
	{Name: "history-list", Handler: "historyhttp.List", Description: "GET /api/accounts/{accountId}/history - one page of the history of changes (read only).",
		Routes: []Route{{"GET", "/api/accounts/{accountId}/history"}}, TableActions: readOnly},
	{Name: "history-export", Handler: "historyhttp.Export", Description: "GET /api/accounts/{accountId}/history/export - the filtered history as CSV or JSON lines (read only).",
		Routes: []Route{{"GET", "/api/accounts/{accountId}/history/export"}}, TableActions: readOnly, TimeoutSeconds: 30, MemoryMB: 512},
}

// ExpiredInvitationFilter lets through only the stream records of
// invitation expiry markers that DynamoDB's TTL service deleted (a marker
// exists only while its invitation is pending, and its TTL is the
// invitation's expiry; the invitation item's own TTL removal, 30 days
// later, is not let through). Records that do not match are dropped before
// the function is invoked, and cost nothing.
var ExpiredInvitationFilter = map[string]any{
	"eventName":    []any{"REMOVE"},
	"userIdentity": map[string]any{"type": []any{"Service"}, "principalId": []any{"dynamodb.amazonaws.com"}},
	"dynamodb": map[string]any{"OldImage": map[string]any{
		"type": map[string]any{"S": []any{"invitationExpiry"}},
	}},
}

// QueuedMailFilter lets through only the stream records of outbox mails
// written queued and not yet attempted: inserts, and mails put back in the
// queue by hand (README: replaying the mail dead-letter queue). The
// sender's own writes (attempts counted, outcomes) do not invoke it again.
var QueuedMailFilter = map[string]any{
	"eventName": []any{"INSERT", "MODIFY"},
	"dynamodb": map[string]any{"NewImage": map[string]any{
		"type":     map[string]any{"S": []any{"mail"}},
		"status":   map[string]any{"S": []any{"queued"}},
		"attempts": map[string]any{"N": []any{"0"}},
	}},
}

// HistoryEventFilter lets through only the inserts of history events.
var HistoryEventFilter = map[string]any{
	"eventName": []any{"INSERT"},
	"dynamodb":  map[string]any{"NewImage": map[string]any{"type": map[string]any{"S": []any{"event"}}}},
}

// NameSyncFilter lets through only the inserts of name-sync records, which
// a rename writes in its transaction.
var NameSyncFilter = map[string]any{
	"eventName": []any{"INSERT"},
	"dynamodb":  map[string]any{"NewImage": map[string]any{"type": map[string]any{"S": []any{"namesync"}}}},
}

// MailRetries is how many times the mail sender's event source mapping
// retries a failing record; the sender tries a mail MailRetries+1 times
// (each with its own tries) before failing it for good.
const MailRetries = 3

// MailEventTypes are the SES events the configuration set publishes to the
// mail events topic, in SES's spelling.
var MailEventTypes = []string{"bounce", "complaint", "delivery", "reject"}
