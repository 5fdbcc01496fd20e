package stack

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
	// Stream makes the function consume the table's DynamoDB stream.
	Stream bool
	// TimeoutSeconds is the function's timeout; 0 means defaultTimeout.
	TimeoutSeconds float64
	// MemoryMB is the function's memory size; 0 means defaultMemoryMB.
	MemoryMB float64
	// Env holds environment variables beyond the ones every function gets
	// (TABLE_NAME, SITE_URL, MAIL_FROM, as template.yaml's Globals).
	Env map[string]string
}

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
}

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
