package stack

import (
	"fmt"
	"strings"
)

// Route is one HTTP API route served by a function. Paths are the full
// paths the browser uses (CloudFront forwards /api/* unchanged to the HTTP
// API's $default stage), with {name} path parameters as in template.yaml.
type Route struct {
	Method string
	Path   string
}

// Function describes one Lambda function of the stack. template.yaml declares
// the same functions; drift_test.go keeps the two equal.
type Function struct {
	// LogicalID is the function's CloudFormation logical id, the same as in
	// template.yaml (for example "HealthFunction").
	LogicalID string
	// Dir is the function's directory name under functions/ and under the
	// build output (<CodeDir>/<Dir>/bootstrap).
	Dir string
	// Routes are the HTTP API routes the function serves; none for
	// functions fed by other events (such as the table's stream).
	Routes []Route
	// TableActions are the DynamoDB actions the function may perform on the
	// table, exactly (for example "dynamodb:GetItem"). When the list holds
	// dynamodb:Query, the function may also query the table's indexes.
	TableActions []string
	// SendsMail grants ses:SendEmail on the configured MAIL_FROM identity.
	SendsMail bool
	// MailEvents subscribes the function to the SNS topic of SES's email
	// events (bounces, complaints, deliveries, rejects).
	MailEvents bool
	// Stream makes the function consume the table's DynamoDB stream.
	Stream bool
	// StreamFilters are the Lambda event filter patterns of the function's
	// stream mapping; none lets every record through.
	StreamFilters []map[string]any
	// TimeoutSeconds is the function's timeout; 0 means defaultTimeout.
	TimeoutSeconds float64
	// MemoryMB is the function's memory size; 0 means defaultMemoryMB.
	MemoryMB float64
	// Env holds environment variables beyond the ones every function gets
	// (TABLE_NAME, SITE_URL, MAIL_FROM, as template.yaml's Globals).
	Env map[string]string
}

// passwordMemoryMB is the memory of the functions that hash or verify
// passwords. Lambda's CPU share grows with memory and argon2id is CPU-bound,
// so at 1024 MB a check takes about a quarter of the time it takes at 256 MB
// (about 58 ms against 230 ms) for about the same GB-seconds.
const passwordMemoryMB = 1024

// Defaults of every function, the same as template.yaml's Globals.
const (
	defaultTimeout  = 10
	defaultMemoryMB = 256
)

// Functions is the list of Roster's Lambda functions. Adding an endpoint is
// adding one line here (and its twin in template.yaml).
var Functions = []Function{
	{LogicalID: "HealthFunction", Dir: "health", Routes: []Route{{"GET", "/api/health"}}, TableActions: []string{"dynamodb:GetItem"}, TimeoutSeconds: 5},
	{LogicalID: "PermissionsFunction", Dir: "permissions", Routes: []Route{{"GET", "/api/permissions"}}, TimeoutSeconds: 5},
	// Invitations (issue 4). Authenticated functions read the session and
	// membership with BatchGetItem and refresh lastActiveAt with UpdateItem;
	// transactions need the item-level action of each write they hold.
	{LogicalID: "InvitationsCreateFunction", Dir: "invitations-create", Routes: []Route{{"POST", "/api/accounts/{accountId}/invitations"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"},
		SendsMail:    true, TimeoutSeconds: 15, Env: invitationEnv},
	{LogicalID: "InvitationsListFunction", Dir: "invitations-list", Routes: []Route{{"GET", "/api/accounts/{accountId}/invitations"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:Query"}},
	{LogicalID: "InvitationUpdateFunction", Dir: "invitation-update", Routes: []Route{{"PATCH", "/api/accounts/{accountId}/invitations/{id}"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}},
	{LogicalID: "InvitationRevokeFunction", Dir: "invitation-revoke", Routes: []Route{{"DELETE", "/api/accounts/{accountId}/invitations/{id}"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}},
	{LogicalID: "InvitationResendFunction", Dir: "invitation-resend", Routes: []Route{{"POST", "/api/accounts/{accountId}/invitations/{id}/resend"}},
		TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"},
		SendsMail:    true, TimeoutSeconds: 15, Env: invitationEnv},
	{LogicalID: "InvitationPreviewFunction", Dir: "invitation-preview", Routes: []Route{{"POST", "/api/invitations/preview"}},
		TableActions: []string{"dynamodb:GetItem"}},
	{LogicalID: "InvitationAcceptFunction", Dir: "invitation-accept", Routes: []Route{{"POST", "/api/invitations/accept"}},
		TableActions: []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}},
	// Identity and accounts (issue 3). Transactions need the item-level action
	// of each write they hold; rate limits are UpdateItem (Hit) and BatchGetItem (Exceeded).
	{LogicalID: "AuthRegisterFunction", Dir: "auth-register", Routes: []Route{{"POST", "/api/auth/register"}}, TableActions: []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}, SendsMail: true, TimeoutSeconds: 15, MemoryMB: passwordMemoryMB},
	{LogicalID: "AuthVerifyFunction", Dir: "auth-verify", Routes: []Route{{"POST", "/api/auth/verify"}}, TableActions: []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"}},
	{LogicalID: "AuthLoginFunction", Dir: "auth-login", Routes: []Route{{"POST", "/api/auth/login"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"}, MemoryMB: passwordMemoryMB},
	{LogicalID: "AuthLogoutFunction", Dir: "auth-logout", Routes: []Route{{"POST", "/api/auth/logout"}}, TableActions: []string{"dynamodb:DeleteItem"}},
	{LogicalID: "AuthPasswordResetFunction", Dir: "auth-password-reset", Routes: []Route{{"POST", "/api/auth/password-reset"}}, TableActions: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}, SendsMail: true, TimeoutSeconds: 15},
	{LogicalID: "AuthPasswordResetConfirmFunction", Dir: "auth-password-reset-confirm", Routes: []Route{{"POST", "/api/auth/password-reset/confirm"}}, TableActions: []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}, MemoryMB: passwordMemoryMB},
	{LogicalID: "MeFunction", Dir: "me", Routes: []Route{{"GET", "/api/me"}}, TableActions: []string{"dynamodb:GetItem"}},
	{LogicalID: "MeUpdateFunction", Dir: "me-update", Routes: []Route{{"PATCH", "/api/me"}}, TableActions: []string{"dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"}},
	{LogicalID: "MeVerificationFunction", Dir: "me-verification", Routes: []Route{{"POST", "/api/me/verification"}}, TableActions: []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}, SendsMail: true, TimeoutSeconds: 15},
	{LogicalID: "MePasswordFunction", Dir: "me-password", Routes: []Route{{"POST", "/api/me/password"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"}, MemoryMB: passwordMemoryMB},
	{LogicalID: "MeTwoFactorFunction", Dir: "me-2fa", Routes: []Route{{"POST", "/api/me/2fa"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}, MemoryMB: passwordMemoryMB},
	{LogicalID: "MeTwoFactorConfirmFunction", Dir: "me-2fa-confirm", Routes: []Route{{"POST", "/api/me/2fa/confirm"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}},
	{LogicalID: "MeTwoFactorDeleteFunction", Dir: "me-2fa-delete", Routes: []Route{{"DELETE", "/api/me/2fa"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}, MemoryMB: passwordMemoryMB},
	{LogicalID: "AccountsCreateFunction", Dir: "accounts-create", Routes: []Route{{"POST", "/api/accounts"}}, TableActions: []string{"dynamodb:GetItem", "dynamodb:PutItem"}},
	{LogicalID: "AccountsListFunction", Dir: "accounts-list", Routes: []Route{{"GET", "/api/accounts"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"}},
	{LogicalID: "AccountUpdateFunction", Dir: "account-update", Routes: []Route{{"PATCH", "/api/accounts/{accountId}"}}, TableActions: []string{"dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}},
}

// invitationEnv configures the functions that send invitations: the link's
// validity and the account's hourly cap on invitation emails.
var invitationEnv = map[string]string{"INVITATION_TTL_HOURS": "168", "INVITATIONS_PER_HOUR": "50"}

// timeout returns the function's timeout in seconds.
func (f Function) timeout() float64 {
	if f.TimeoutSeconds == 0 {
		return defaultTimeout
	}
	return f.TimeoutSeconds
}

// memory returns the function's memory size in MB.
func (f Function) memory() float64 {
	if f.MemoryMB == 0 {
		return defaultMemoryMB
	}
	return f.MemoryMB
}

// queriesIndexes reports whether the function may query the table's indexes.
func (f Function) queriesIndexes() bool {
	for _, a := range f.TableActions {
		if a == "dynamodb:Query" {
			return true
		}
	}
	return false
}

// tableActions are the DynamoDB actions a function may be granted. There is
// no IAM action for TransactWriteItems or TransactGetItems: IAM checks each
// item's PutItem, UpdateItem, DeleteItem, ConditionCheckItem or GetItem.
// Scan is left out on purpose: every access pattern is a GetItem or a Query.
var tableActions = map[string]bool{
	"dynamodb:GetItem":            true,
	"dynamodb:BatchGetItem":       true,
	"dynamodb:Query":              true,
	"dynamodb:PutItem":            true,
	"dynamodb:UpdateItem":         true,
	"dynamodb:DeleteItem":         true,
	"dynamodb:BatchWriteItem":     true,
	"dynamodb:ConditionCheckItem": true,
}

// methods are the HTTP methods a route may use.
var methods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true}

// validateFunctions reports the first mistake in a function list: a missing
// or repeated logical id or directory, a route served twice or malformed, or
// a table action outside tableActions.
func validateFunctions(fns []Function) error {
	ids, dirs, routes := map[string]bool{}, map[string]bool{}, map[string]string{}
	for _, f := range fns {
		switch {
		case f.LogicalID == "" || f.Dir == "":
			return fmt.Errorf("stack: function %q (dir %q) needs a logical id and a directory", f.LogicalID, f.Dir)
		case ids[f.LogicalID]:
			return fmt.Errorf("stack: logical id %s is used twice", f.LogicalID)
		case dirs[f.Dir]:
			return fmt.Errorf("stack: directory %s is used twice", f.Dir)
		}
		ids[f.LogicalID], dirs[f.Dir] = true, true
		for _, r := range f.Routes {
			key := r.Method + " " + r.Path
			if !methods[r.Method] || !strings.HasPrefix(r.Path, "/api/") {
				return fmt.Errorf("stack: %s: route %q needs an upper-case method and a path under /api/", f.LogicalID, key)
			}
			if other, ok := routes[key]; ok {
				return fmt.Errorf("stack: route %q is served by both %s and %s", key, other, f.LogicalID)
			}
			routes[key] = f.LogicalID
		}
		for _, a := range f.TableActions {
			if !tableActions[a] {
				return fmt.Errorf("stack: %s: table action %q is not allowed (transactions need their items' actions; Scan is never granted)", f.LogicalID, a)
			}
		}
	}
	return nil
}
