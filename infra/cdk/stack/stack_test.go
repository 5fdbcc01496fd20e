package stack

import (
	"os/exec"
	"reflect"
	"sort"
	"strings"
	"testing"

	"roster/infra/local/gateway"
	"roster/shared/deploy"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"roster/shared/store"
)

func TestTableMatchesStoreDefinition(t *testing.T) {
	s := defaultStack(t)
	table, ok := s.resources["Table"]
	if !ok {
		t.Fatalf("got no resource Table, want the table under template.yaml's logical id")
	}
	p := props(table)
	def := store.Table

	keySchema := func(pk, sk string) []any {
		return []any{
			map[string]any{"AttributeName": pk, "KeyType": "HASH"},
			map[string]any{"AttributeName": sk, "KeyType": "RANGE"},
		}
	}
	wantAttrs := map[string]string{def.PartitionKey: "S", def.SortKey: "S"}
	var wantGSIs []any
	for _, ix := range def.Indexes {
		wantAttrs[ix.PartitionKey], wantAttrs[ix.SortKey] = "S", "S"
		wantGSIs = append(wantGSIs, map[string]any{
			"IndexName":  ix.Name,
			"KeySchema":  keySchema(ix.PartitionKey, ix.SortKey),
			"Projection": map[string]any{"ProjectionType": "ALL"},
		})
	}
	gotAttrs := map[string]string{}
	for _, a := range p["AttributeDefinitions"].([]any) {
		gotAttrs[dig(a, "AttributeName").(string)] = dig(a, "AttributeType").(string)
	}

	tests := []struct {
		name      string
		got, want any
	}{
		{"key schema", p["KeySchema"], keySchema(def.PartitionKey, def.SortKey)},
		{"attribute definitions", gotAttrs, wantAttrs},
		{"global secondary indexes", p["GlobalSecondaryIndexes"], wantGSIs},
		{"billing mode", p["BillingMode"], "PAY_PER_REQUEST"},
		{"TTL", p["TimeToLiveSpecification"], map[string]any{"AttributeName": def.TTLAttribute, "Enabled": true}},
		{"stream", dig(p, "StreamSpecification", "StreamViewType"), "NEW_AND_OLD_IMAGES"},
		{"point-in-time recovery", dig(p, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"), true},
		{"deletion protection", p["DeletionProtectionEnabled"], true},
		{"encryption", p["SSESpecification"], map[string]any{"SSEEnabled": true}},
		{"deletion policy", table["DeletionPolicy"], "Retain"},
		{"update replace policy", table["UpdateReplacePolicy"], "Retain"},
		{"table name (generated)", p["TableName"], nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %v, want %v", toJSON(tt.got), toJSON(tt.want))
			}
		})
	}
}

func TestFunctions(t *testing.T) {
	s := defaultStack(t)
	if got, want := len(s.ofType("AWS::Lambda::Function")), len(deploy.Functions)+1; got != want {
		t.Errorf("got %d Lambda functions, want %d (Roster's and the site deployment's)", got, want)
	}
	for _, f := range deploy.Functions {
		t.Run(f.LogicalID(), func(t *testing.T) {
			r, ok := s.resources[f.LogicalID()]
			if !ok {
				t.Fatalf("got no resource %s, want the function under its template.yaml logical id", f.LogicalID())
			}
			p := props(r)
			logs := s.resources[f.LogicalID()+"Logs"]
			tests := []struct {
				name      string
				got, want any
			}{
				{"type", r["Type"], "AWS::Lambda::Function"},
				{"runtime", p["Runtime"], "provided.al2023"},
				{"architectures", p["Architectures"], []any{"arm64"}},
				{"handler", p["Handler"], "bootstrap"},
				{"timeout", p["Timeout"], float64(f.Timeout())},
				{"memory", p["MemorySize"], float64(f.Memory())},
				{"description", p["Description"], f.Description},
				{"environment names", sortedKeys(dig(p, "Environment", "Variables")), envNames(f)},
				{"table name env", dig(p, "Environment", "Variables", "TABLE_NAME"), map[string]any{"Ref": "Table"}},
				{"log group", dig(p, "LoggingConfig", "LogGroup"), map[string]any{"Ref": f.LogicalID() + "Logs"}},
				{"log group type", logs["Type"], "AWS::Logs::LogGroup"},
				{"log retention", dig(logs, "Properties", "RetentionInDays"), float64(30)},
				{"role", dig(p, "Role", "Fn::GetAtt"), []any{f.LogicalID() + "Role", "Arn"}},
			}
			for _, tt := range tests {
				if !reflect.DeepEqual(tt.got, tt.want) {
					t.Errorf("%s: got %v, want %v", tt.name, toJSON(tt.got), toJSON(tt.want))
				}
			}
		})
	}
	// The same, through CDK's own matcher, for one property set.
	s.tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), assertions.Match_ObjectLike(&map[string]any{
		"Runtime": "provided.al2023", "Architectures": []any{"arm64"}, "Handler": "bootstrap",
	}))
}

// envNames returns the environment variable names a function must have.
func envNames(f deploy.Function) []string {
	names := []string{"HISTORY_RETENTION_DAYS", "MAIL_FROM", "SES_CONFIGURATION_SET", "SITE_URL", "TABLE_NAME"}
	for k := range f.Env {
		names = append(names, k)
	}
	if f.TokenKeys != "" {
		names = append(names, "TOKEN_AUDIENCE", "TOKEN_KMS_KEYS")
	}
	if f.PublishesEvents {
		names = append(names, "EVENT_BUS_NAME")
	}
	if len(f.Routes) > 0 {
		names = append(names, "ORIGIN_SECRET")
	}
	sort.Strings(names)
	return names
}

func sortedKeys(v any) []string {
	m, _ := v.(map[string]any)
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// roleActions returns the actions a function's role allows, except writing
// its own logs, and the statements' resources by action.
func roleActions(t *testing.T, s *synthesized, logicalID string) (actions []string, resources map[string][]any) {
	t.Helper()
	role, ok := s.resources[logicalID+"Role"]
	if !ok {
		t.Fatalf("got no role %sRole", logicalID)
	}
	if mp := dig(role, "Properties", "ManagedPolicyArns"); mp != nil {
		t.Errorf("role %sRole: got managed policies %v, want none (inline least privilege only)", logicalID, toJSON(mp))
	}
	resources = map[string][]any{}
	for _, st := range statementsOf(role) {
		if dig(st, "Effect") != "Allow" {
			continue
		}
		for _, a := range strs(dig(st, "Action")) {
			if strings.HasPrefix(a, "logs:") {
				continue
			}
			if _, seen := resources[a]; !seen {
				actions = append(actions, a)
			}
			res := dig(st, "Resource")
			if list, ok := res.([]any); ok {
				resources[a] = append(resources[a], list...)
			} else {
				resources[a] = append(resources[a], res)
			}
		}
	}
	sort.Strings(actions)
	return actions, resources
}

// statementsOf returns the statements of a role's inline policies or of an
// AWS::IAM::Policy.
func statementsOf(r map[string]any) []any {
	var out []any
	if list, ok := dig(r, "Properties", "Policies").([]any); ok {
		for _, p := range list {
			st, _ := dig(p, "PolicyDocument", "Statement").([]any)
			out = append(out, st...)
		}
	}
	if st, ok := dig(r, "Properties", "PolicyDocument", "Statement").([]any); ok {
		out = append(out, st...)
	}
	return out
}

func TestPoliciesAreExactlyTheListedActions(t *testing.T) {
	s := defaultStack(t)
	for _, f := range deploy.Functions {
		t.Run(f.LogicalID(), func(t *testing.T) {
			got, res := roleActions(t, s, f.LogicalID())
			want := append([]string(nil), f.TableActions...)
			if f.SendsMail {
				want = append(want, "ses:SendEmail")
			}
			if f.DeadLetters {
				want = append(want, "sqs:SendMessage")
			}
			if f.PublishesEvents {
				want = append(want, "events:PutEvents")
			}
			want = append(want, xrayActions...)
			switch f.TokenKeys {
			case deploy.TokenKeysSign:
				want = append(want, "kms:Sign", "kms:GetPublicKey")
			case deploy.TokenKeysRead:
				want = append(want, "kms:GetPublicKey")
			}
			if f.Stream {
				want = append(want, streamActions...)
				for _, a := range streamActions {
					if got := toJSON(res[a]); got != `[{"Fn::GetAtt":["Table","StreamArn"]}]` {
						t.Errorf("%s: got resources %s, want only the table's stream", a, got)
					}
				}
			}
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("got actions %v, want %v", got, want)
			}
			const table, indexes = `{"Fn::GetAtt":["Table","Arn"]}`, `{"Fn::Join":["",[{"Fn::GetAtt":["Table","Arn"]},"/index/*"]]}`
			for _, a := range f.TableActions {
				want := "[" + table + "]"
				if a == "dynamodb:Query" {
					want = "[" + table + "," + indexes + "]"
				}
				if got := toJSON(res[a]); got != want {
					t.Errorf("%s: got resources %s, want %s", a, got, want)
				}
			}
		})
	}
}

func TestNoBroadOrScanPermissions(t *testing.T) {
	s := defaultStack(t)
	for id, r := range s.resources {
		for _, st := range statementsOf(r) {
			for _, a := range strs(dig(st, "Action")) {
				if a == "*" || a == "dynamodb:*" || strings.EqualFold(a, "dynamodb:Scan") || a == "ses:*" {
					t.Errorf("%s: got action %s, want no wildcard or Scan anywhere", id, a)
				}
			}
		}
	}
}

func TestRoutes(t *testing.T) {
	s := defaultStack(t)
	routes := map[string]string{} // route key -> function logical id
	for id, r := range s.ofType("AWS::ApiGatewayV2::Route") {
		p := props(r)
		target := toJSON(p["Target"])
		for iid, ir := range s.ofType("AWS::ApiGatewayV2::Integration") {
			if strings.Contains(target, `"`+iid+`"`) {
				fn, _ := dig(ir, "Properties", "IntegrationUri", "Fn::GetAtt").([]any)
				if len(fn) == 2 {
					routes[p["RouteKey"].(string)] = fn[0].(string)
				}
			}
		}
		if toJSON(p["ApiId"]) != `{"Ref":"HttpApi"}` {
			t.Errorf("route %s: got api %s, want HttpApi", id, toJSON(p["ApiId"]))
		}
	}
	want := map[string]string{}
	for _, f := range deploy.Functions {
		for _, r := range f.Routes {
			want[r.Method+" "+r.Path] = f.LogicalID()
		}
	}
	if !reflect.DeepEqual(routes, want) {
		t.Errorf("got routes %v, want %v", routes, want)
	}

	stages := s.ofType("AWS::ApiGatewayV2::Stage")
	if len(stages) != 1 {
		t.Fatalf("got %d stages, want 1", len(stages))
	}
	for _, st := range stages {
		p := props(st)
		tests := []struct {
			name      string
			got, want any
		}{
			{"stage name", p["StageName"], "$default"},
			{"auto deploy", p["AutoDeploy"], true},
			{"burst limit", dig(p, "DefaultRouteSettings", "ThrottlingBurstLimit"), float64(throttleBurst)},
			{"rate limit", dig(p, "DefaultRouteSettings", "ThrottlingRateLimit"), float64(throttleRatePerSecond)},
			{"access logs", dig(p, "AccessLogSettings", "DestinationArn") != nil, true},
		}
		for _, tt := range tests {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, toJSON(tt.got), toJSON(tt.want))
			}
		}
	}
}

func TestSite(t *testing.T) {
	s := defaultStack(t)
	s.tmpl.HasResourceProperties(jsii.String("AWS::CloudFront::ResponseHeadersPolicy"), assertions.Match_ObjectLike(&map[string]any{
		"ResponseHeadersPolicyConfig": map[string]any{
			"SecurityHeadersConfig": map[string]any{
				"ContentSecurityPolicy": map[string]any{"ContentSecurityPolicy": ContentSecurityPolicy, "Override": true},
			},
		},
	}))

	var headers, docsHeaders map[string]any
	for _, r := range s.ofType("AWS::CloudFront::ResponseHeadersPolicy") {
		h := dig(r, "Properties", "ResponseHeadersPolicyConfig", "SecurityHeadersConfig").(map[string]any)
		if dig(h, "ContentSecurityPolicy", "ContentSecurityPolicy") == ContentSecurityPolicy {
			headers = h
		} else {
			docsHeaders = h
		}
	}
	var bucket map[string]any
	for _, r := range s.ofType("AWS::S3::Bucket") {
		bucket = r
	}
	var dist map[string]any
	for _, r := range s.ofType("AWS::CloudFront::Distribution") {
		dist = dig(r, "Properties", "DistributionConfig").(map[string]any)
	}
	var api, docs map[string]any
	for _, b := range dist["CacheBehaviors"].([]any) {
		switch dig(b, "PathPattern") {
		case "/api/*":
			api = b.(map[string]any)
		case "/api-docs*":
			docs = b.(map[string]any)
		}
	}
	var bucketPolicy string
	for _, r := range s.ofType("AWS::S3::BucketPolicy") {
		bucketPolicy += toJSON(r)
	}

	tests := []struct {
		name      string
		got, want any
	}{
		{"CSP", dig(headers, "ContentSecurityPolicy", "ContentSecurityPolicy"), ContentSecurityPolicy},
		{"API reference CSP", dig(docsHeaders, "ContentSecurityPolicy", "ContentSecurityPolicy"), gateway.DocsContentSecurityPolicy},
		{"API reference HSTS", dig(docsHeaders, "StrictTransportSecurity", "IncludeSubdomains"), true},
		{"API reference from the bucket", dig(docs, "TargetOriginId"), dig(dist, "DefaultCacheBehavior", "TargetOriginId")},
		{"HSTS max age", dig(headers, "StrictTransportSecurity", "AccessControlMaxAgeSec"), float64(2 * 365 * 24 * 3600)},
		{"HSTS subdomains", dig(headers, "StrictTransportSecurity", "IncludeSubdomains"), true},
		{"nosniff", dig(headers, "ContentTypeOptions", "Override"), true},
		{"frame options", dig(headers, "FrameOptions", "FrameOption"), "DENY"},
		{"referrer policy", dig(headers, "ReferrerPolicy", "ReferrerPolicy"), "no-referrer"},
		{"public access block", dig(bucket, "Properties", "PublicAccessBlockConfiguration"), map[string]any{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
		}},
		{"bucket encryption", dig(bucket, "Properties", "BucketEncryption") != nil, true},
		{"bucket retained", bucket["DeletionPolicy"], "Retain"},
		{"SSL enforced", strings.Contains(bucketPolicy, `"aws:SecureTransport":"false"`), true},
		{"OAC", strings.Contains(toJSON(dist["Origins"]), "OriginAccessControlId"), true},
		{"no custom error responses", dist["CustomErrorResponses"], nil},
		{"no alias without a certificate", dist["Aliases"], nil},
		{"SPA rewrite on the default behaviour", dig(dist, "DefaultCacheBehavior", "FunctionAssociations") != nil, true},
		{"default behaviour headers", dig(dist, "DefaultCacheBehavior", "ResponseHeadersPolicyId") != nil, true},
		{"api behaviour", api != nil, true},
		{"api methods", len(strs(api["AllowedMethods"])), 7},
		{"api caching disabled", api["CachePolicyId"], "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"},
		{"api origin request policy", api["OriginRequestPolicyId"], map[string]any{"Ref": "ApiOriginRequests"}},
		{"api has no SPA rewrite", api["FunctionAssociations"], nil},
		{"api headers", api["ResponseHeadersPolicyId"] != nil, true},
		{"site deployment", len(s.ofType("Custom::CDKBucketDeployment")), 1},
		{"outputs", sortedKeys(dig(s.json, "Outputs")), []string{"ApiUrl", "SiteUrl", "TableName"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %v, want %v", toJSON(tt.got), toJSON(tt.want))
			}
		})
	}
}

func TestDefaultsWithoutContext(t *testing.T) {
	s := defaultStack(t)
	env := dig(s.resources[deploy.Functions[0].LogicalID()], "Properties", "Environment", "Variables")
	tests := []struct {
		name      string
		got, want string
	}{
		{"SITE_URL is the distribution", toJSON(dig(env, "SITE_URL")), `{"Fn::Join":["",["https://",{"Fn::GetAtt":["` + distributionID(s) + `","DomainName"]}]]}`},
		{"MAIL_FROM is the parameter", toJSON(dig(env, "MAIL_FROM")), `{"Ref":"MailFrom"}`},
		{"MailFrom parameter type", toJSON(dig(s.json, "Parameters", "MailFrom", "Type")), `"String"`},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}

func distributionID(s *synthesized) string {
	for id := range s.ofType("AWS::CloudFront::Distribution") {
		return id
	}
	return ""
}

// TestFunctionKinds synthesizes a stack with functions of every kind the
// table allows (index queries, the stream, mail) and explicit context.
func TestFunctionKinds(t *testing.T) {
	fns := []deploy.Function{
		{Name: "members", Handler: "x.Members", Description: "Members", Routes: []deploy.Route{{Method: "GET", Path: "/api/accounts/{accountId}/members"}},
			TableActions: []string{"dynamodb:Query", "dynamodb:GetItem"}, Env: map[string]string{"PAGE_SIZE": "50"}},
		{Name: "invite", Handler: "x.Invite", Description: "Invite", Routes: []deploy.Route{{Method: "POST", Path: "/api/accounts/{accountId}/invitations"}},
			TableActions: []string{"dynamodb:PutItem", "dynamodb:ConditionCheckItem"}, SendsMail: true, TimeoutSeconds: 15, MemoryMB: 512},
		{Name: "stream", Handler: "x.Stream", Description: "Stream", Stream: true, DeadLetters: true, TableActions: []string{"dynamodb:PutItem"}},
	}
	const cert = "arn:aws:acm:us-east-1:123456789012:certificate/0b2d6c8e"
	s := synth(t, Props{Functions: fns, SiteURL: "https://roster.example.com", MailFrom: "roster@example.com", TableName: "roster-test", CertificateARN: cert})
	dist := dig(s.resources[distributionID(s)], "Properties", "DistributionConfig")

	t.Run("context", func(t *testing.T) {
		env := dig(s.resources["MembersFunction"], "Properties", "Environment", "Variables")
		tests := []struct {
			name      string
			got, want any
		}{
			{"SITE_URL", dig(env, "SITE_URL"), "https://roster.example.com"},
			{"MAIL_FROM", dig(env, "MAIL_FROM"), "roster@example.com"},
			{"extra env", dig(env, "PAGE_SIZE"), "50"},
			{"no MailFrom parameter", dig(s.json, "Parameters", "MailFrom"), nil},
			{"table name", dig(s.resources["Table"], "Properties", "TableName"), "roster-test"},
			{"timeout", dig(s.resources["InviteFunction"], "Properties", "Timeout"), float64(15)},
			{"memory", dig(s.resources["InviteFunction"], "Properties", "MemorySize"), float64(512)},
			{"alias", dig(dist, "Aliases"), []any{"roster.example.com"}},
			{"certificate", dig(dist, "ViewerCertificate", "AcmCertificateArn"), cert},
			{"TLS policy", dig(dist, "ViewerCertificate", "MinimumProtocolVersion"), "TLSv1.2_2021"},
			{"stream function has no route", strings.Contains(toJSON(s.ofType("AWS::ApiGatewayV2::Integration")), "StreamFunction"), false},
		}
		for _, tt := range tests {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, toJSON(tt.got), toJSON(tt.want))
			}
		}
	})

	tableArn := `{"Fn::GetAtt":["Table","Arn"]}`
	indexArn := `{"Fn::Join":["",[{"Fn::GetAtt":["Table","Arn"]},"/index/*"]]}`
	streamArn := `{"Fn::GetAtt":["Table","StreamArn"]}`
	tests := []struct {
		fn        string
		actions   []string
		resources map[string]string // action -> JSON of its resources
	}{
		{"MembersFunction", []string{"dynamodb:GetItem", "dynamodb:Query"}, map[string]string{
			"dynamodb:GetItem": "[" + tableArn + "]",
			"dynamodb:Query":   "[" + tableArn + "," + indexArn + "]",
		}},
		{"InviteFunction", []string{"dynamodb:ConditionCheckItem", "dynamodb:PutItem", "ses:SendEmail"}, map[string]string{
			"dynamodb:PutItem": "[" + tableArn + "]",
			"ses:SendEmail": `[{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":ses:",{"Ref":"AWS::Region"},":",{"Ref":"AWS::AccountId"},":configuration-set/",{"Ref":"MailConfigurationSet"}]]},` +
				`{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":ses:",{"Ref":"AWS::Region"},":",{"Ref":"AWS::AccountId"},":identity/example.com"]]},` +
				`{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":ses:",{"Ref":"AWS::Region"},":",{"Ref":"AWS::AccountId"},":identity/roster@example.com"]]}]`,
		}},
		{"StreamFunction", []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:PutItem", "sqs:SendMessage"}, map[string]string{
			"dynamodb:PutItem":    "[" + tableArn + "]",
			"dynamodb:GetRecords": "[" + streamArn + "]",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fn, func(t *testing.T) {
			got, res := roleActions(t, s, tt.fn)
			// Every function may send its X-Ray traces.
			want := append(append([]string{}, tt.actions...), xrayActions...)
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got actions %v, want %v", got, want)
			}
			for a, want := range tt.resources {
				if got := toJSON(res[a]); got != want {
					t.Errorf("%s: got resources %s, want %s", a, got, want)
				}
			}
		})
	}

	t.Run("stream mapping", func(t *testing.T) {
		maps := s.ofType("AWS::Lambda::EventSourceMapping")
		if len(maps) != 1 {
			t.Fatalf("got %d event source mappings, want 1", len(maps))
		}
		for _, m := range maps {
			p := props(m)
			if got := toJSON(p["EventSourceArn"]); got != streamArn {
				t.Errorf("got source %s, want %s", got, streamArn)
			}
			if got := toJSON(p["FunctionName"]); got != `{"Ref":"StreamFunction"}` {
				t.Errorf("got function %s, want {\"Ref\":\"StreamFunction\"}", got)
			}
		}
	})
}

func TestMissingBuildOutputPanics(t *testing.T) {
	tests := []struct {
		name    string
		makeFn  bool
		makeIdx bool
		want    string
	}{
		{"no bootstrap", false, true, "run make lambdas"},
		{"no site", true, false, "run make site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.makeFn {
				for _, f := range deploy.Functions {
					writeFile(t, dir+"/functions/"+f.Name+"/bootstrap", "x")
				}
			}
			if tt.makeIdx {
				writeFile(t, dir+"/site/index.html", "x")
			}
			err := checkInputs(dir+"/functions", dir+"/site", deploy.Functions)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

// TestSpaRewrite runs the CloudFront Function's code in Node.
func TestSpaRewrite(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	tests := []struct{ uri, want string }{
		{"/", "/index.html"},
		{"/members", "/index.html"},
		{"/accounts/a1/members/u1", "/index.html"},
		{"/accept", "/index.html"},
		{"/assets/index-abc123.js", "/assets/index-abc123.js"},
		{"/favicon.ico", "/favicon.ico"},
		{"/index.html", "/index.html"},
		{"/api-docs", "/api-docs/index.html"},
		{"/api-docs/", "/api-docs/index.html"},
		{"/api-docs/script-1.js", "/api-docs/script-1.js"},
	}
	for _, tt := range tests {
		script := SpaRewriteCode + `process.stdout.write(handler({request: {uri: process.argv[1]}}).uri);`
		out, err := exec.Command(node, "-e", script, tt.uri).Output()
		if err != nil {
			t.Fatalf("node: %v", err)
		}
		if got := string(out); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.uri, got, tt.want)
		}
	}
}

func TestAliasOf(t *testing.T) {
	const cert = "arn:aws:acm:us-east-1:123456789012:certificate/x"
	tests := []struct {
		name, siteURL, cert, want, wantErr string
	}{
		{"no certificate", "https://roster.example.com", "", "", ""},
		{"no certificate, no site", "", "", "", ""},
		{"host", "https://roster.example.com", cert, "roster.example.com", ""},
		{"trailing slash", "https://roster.example.com/", cert, "roster.example.com", ""},
		{"no site URL", "", cert, "", "https origin"},
		{"http", "http://roster.example.com", cert, "", "https origin"},
		{"path", "https://example.com/roster", cert, "", "https origin"},
		{"port", "https://roster.example.com:8443", cert, "", "https origin"},
		{"other region", "https://roster.example.com", "arn:aws:acm:eu-west-1:123456789012:certificate/x", "", "us-east-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := aliasOf(tt.siteURL, tt.cert)
			if got != tt.want {
				t.Errorf("got alias %q, want %q", got, tt.want)
			}
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("got error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// cloudFormationResourceLimit is CloudFormation's hard limit on the resources
// of one stack: a template past it fails at deploy, after every build step.
const cloudFormationResourceLimit = 500

// TestResourceCount keeps the stack deployable: at most 500 resources, and
// a margin of 50 for the next functions (each adds about eight: function,
// role, policy, logs, alarm, route, integration, permission). Past 450, move
// a group (the alarms) into a nested stack before adding more.
func TestResourceCount(t *testing.T) {
	got := len(defaultStack(t).resources)
	t.Logf("%d resources of CloudFormation's %d", got, cloudFormationResourceLimit)
	if got > cloudFormationResourceLimit-50 {
		t.Errorf("got %d resources, want at most %d: CloudFormation refuses a stack of more than %d", got, cloudFormationResourceLimit-50, cloudFormationResourceLimit)
	}
}
