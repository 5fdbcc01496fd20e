// Package deploy declares every Lambda function of Roster once: its name,
// routes or event source, the handler its main.go starts, the exact
// DynamoDB and SES actions it needs, memory, timeout and description. The
// CDK stack (infra/cdk), the generated SAM template (template.yaml, by
// `make template`), the local gateway (which reads that template) and the
// tests all come from this list. It imports no CDK, so the functions and
// the template generator stay small.
package deploy

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Route is one HTTP API route served by a function: a method and the full
// path the browser uses (CloudFront forwards /api/* unchanged), with
// {name} path parameters.
type Route struct {
	Method string
	Path   string
}

// String returns the route key, for example "GET /api/health".
func (r Route) String() string { return r.Method + " " + r.Path }

// Function declares one Lambda function.
type Function struct {
	// Name is the function's directory under functions/ and under the build
	// output (<dir>/<Name>/bootstrap), for example "member-update".
	Name string
	// Handler names the Go handler the function's main.go starts, as
	// package.Identifier (for example "members.Update"); a test holds every
	// main.go to it.
	Handler string
	// Description says what the function does, in the template and the console.
	Description string
	// Routes are the HTTP API routes the function serves; none for
	// functions fed by other events.
	Routes []Route
	// Stream makes the function consume the table's stream, through these
	// Lambda event filter patterns (none lets every record through).
	Stream        bool
	StreamFilters []map[string]any
	// StreamBatchSize and StreamRetries override StreamBatchSize and
	// StreamRetryAttempts for this function (0: those).
	StreamBatchSize int
	StreamRetries   int
	// DeadLetters gives the function an SQS queue (<LogicalID>DeadLetters)
	// that keeps what failed instead of dropping it: for a stream, the
	// event source mapping's on-failure destination (batches whose retries
	// are spent); for a function invoked asynchronously (MailEvents), its
	// dead-letter queue.
	DeadLetters bool
	// MailEvents subscribes the function to the SNS topic of SES's email
	// events (bounces, complaints, deliveries, rejects).
	MailEvents bool
	// TableActions are exactly the DynamoDB actions the function may perform
	// on the table (for example "dynamodb:GetItem"); dynamodb:Query also
	// covers the table's indexes. Transactions need the item-level action of
	// each write they hold.
	TableActions []string
	// SendsMail grants ses:SendEmail on the MAIL_FROM identity and on the
	// configuration set.
	SendsMail bool
	// PublishesEvents grants events:PutEvents on the event bus.
	PublishesEvents bool
	// TokenKeys is the function's use of the access tokens' signing keys
	// (KMS keys in AWS, key files locally): TokenKeysSign signs with the
	// first and reads all, TokenKeysRead reads all; "" none.
	TokenKeys string
	// TimeoutSeconds is the function's timeout; 0 means DefaultTimeout.
	TimeoutSeconds int
	// MemoryMB is the function's memory size; 0 means DefaultMemoryMB.
	MemoryMB int
	// Env holds environment variables beyond the ones every function gets
	// (CommonEnv).
	Env map[string]string
}

// BatchSize is the stream event source's batch size.
func (f Function) BatchSize() int {
	if f.StreamBatchSize > 0 {
		return f.StreamBatchSize
	}
	return StreamBatchSize
}

// RetryAttempts is the stream event source's maximum retry attempts.
func (f Function) RetryAttempts() int {
	if f.StreamRetries > 0 {
		return f.StreamRetries
	}
	return StreamRetryAttempts
}

// DeadLetterID is the logical id of the function's dead-letter queue.
func (f Function) DeadLetterID() string { return f.LogicalID() + "DeadLetters" }

// Uses of the token signing keys.
const (
	TokenKeysSign = "sign"
	TokenKeysRead = "read"
)

// Defaults of every function (the SAM template's Globals).
const (
	DefaultTimeout  = 10
	DefaultMemoryMB = 256
)

// passwordMemoryMB is the memory of the functions that hash or verify
// passwords. Lambda's CPU share grows with memory and argon2id is CPU-bound,
// so at 1024 MB a check takes about a quarter of the time it takes at 256 MB
// (about 58 ms against 230 ms) for about the same GB-seconds.
const passwordMemoryMB = 1024

// CommonEnv names the environment variables every function gets: the
// table, the site's origin, the mail sender, the history retention and the
// SES configuration set (only the mail senders use the last two of these).
var CommonEnv = []string{"TABLE_NAME", "SITE_URL", "MAIL_FROM", "HISTORY_RETENTION_DAYS", "SES_CONFIGURATION_SET"}

// LogicalID returns the function's CloudFormation logical id, the name in
// PascalCase with "Function" appended: "member-update" is
// "MemberUpdateFunction".
func (f Function) LogicalID() string {
	var b strings.Builder
	for _, part := range strings.Split(f.Name, "-") {
		if part == "" {
			continue
		}
		r := []rune(part)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return b.String() + "Function"
}

// Timeout returns the function's timeout in seconds.
func (f Function) Timeout() int {
	if f.TimeoutSeconds == 0 {
		return DefaultTimeout
	}
	return f.TimeoutSeconds
}

// Memory returns the function's memory size in MB.
func (f Function) Memory() int {
	if f.MemoryMB == 0 {
		return DefaultMemoryMB
	}
	return f.MemoryMB
}

// QueriesIndexes reports whether the function may query the table's indexes.
func (f Function) QueriesIndexes() bool { return slices.Contains(f.TableActions, "dynamodb:Query") }

// TableActions are the DynamoDB actions a function may be granted. There is
// no IAM action for TransactWriteItems or TransactGetItems: IAM checks each
// item's PutItem, UpdateItem, DeleteItem, ConditionCheckItem or GetItem.
// Scan is left out on purpose: every access pattern is a GetItem or a Query.
var TableActions = []string{
	"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem",
	"dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
}

var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// Validate reports the first mistake in a function list: a missing or
// repeated name or handler, a route served twice or malformed, a table
// action outside TableActions, or a function with no event source.
func Validate(fns []Function) error {
	names, routes := map[string]bool{}, map[string]string{}
	for _, f := range fns {
		switch {
		case f.Name == "" || f.Handler == "" || f.Description == "":
			return fmt.Errorf("deploy: function %q needs a name, a handler and a description", f.Name)
		case names[f.Name]:
			return fmt.Errorf("deploy: function name %s is used twice", f.Name)
		case len(f.Routes) == 0 && !f.Stream && !f.MailEvents:
			return fmt.Errorf("deploy: %s has no route, stream or mail events: nothing would invoke it", f.Name)
		}
		names[f.Name] = true
		for _, r := range f.Routes {
			if !slices.Contains(methods, r.Method) || !(strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, WellKnown)) {
				return fmt.Errorf("deploy: %s: route %q needs an upper-case method and a path under /api/ or %s", f.Name, r, WellKnown)
			}
			if other, ok := routes[r.String()]; ok {
				return fmt.Errorf("deploy: route %q is served by both %s and %s", r, other, f.Name)
			}
			routes[r.String()] = f.Name
		}
		for _, a := range f.TableActions {
			if !slices.Contains(TableActions, a) {
				return fmt.Errorf("deploy: %s: table action %q is not allowed (transactions need their items' actions; Scan is never granted)", f.Name, a)
			}
		}
	}
	for _, f := range fns {
		if (f.Stream || f.MailEvents) && !f.DeadLetters {
			return fmt.Errorf("deploy: %s: a function fed by events keeps its failures: set DeadLetters", f.Name)
		}
	}
	return nil
}

// WellKnown is the one path besides /api/ that routes to functions: the
// documents verifiers of Roster's tokens read (RFC 8615).
const WellKnown = "/.well-known/"

// Lookup returns the declared function named name; it panics when there is
// none, a programming error.
func Lookup(name string) Function {
	for _, f := range Functions {
		if f.Name == name {
			return f
		}
	}
	panic("deploy: no function " + name)
}
