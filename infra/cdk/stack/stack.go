// Package stack defines Roster's CDK stack: the single DynamoDB table, one
// Lambda function per endpoint behind an API Gateway HTTP API, and the admin
// site in S3 behind CloudFront, which also forwards /api/* to the HTTP API so
// that the site and the API share one origin.
package stack

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3deployment"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"roster/shared/deploy"
	"roster/shared/store"
)

// ContentSecurityPolicy is the CSP CloudFront adds to every response; the
// site has no inline script or style, and the API is on the same origin.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// DocsContentSecurityPolicy is the API reference's CSP (/api-docs, built
// by Redocly's build-docs): the site's, but Redoc sets inline styles and
// data: fonts. Its scripts are files of the site ('self'), like the site's.
// The local gateway serves it with the same (gateway.DocsContentSecurityPolicy).
const DocsContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// API throttling of the HTTP API's $default stage, for all routes together.
const (
	throttleRatePerSecond = 50
	throttleBurst         = 100
)

// Props configures the stack.
type Props struct {
	awscdk.StackProps
	// SiteURL is the site's origin given to the functions as SITE_URL (links
	// in emails, the CSRF Origin check), for example https://roster.example.com.
	// When empty, it is https://<the CloudFront distribution's domain>. That
	// reference is no dependency cycle: CloudFront depends only on the HTTP
	// API resource itself (its endpoint domain), not on its routes,
	// integrations or stage, which are what depend on the functions.
	SiteURL string
	// MailFrom is the sender address (MAIL_FROM), an SES verified identity.
	// When empty, the stack takes it from the CloudFormation parameter
	// MailFrom, which must then be given at deploy time.
	MailFrom string
	// CertificateARN, when set, is an ACM certificate in us-east-1 for
	// SiteURL's host, which then becomes the distribution's alternate
	// domain name (point the domain's DNS at the distribution yourself).
	// Without it, a custom SiteURL needs the alias set up outside the stack.
	CertificateARN string
	// TableName names the table; empty lets CloudFormation generate a name.
	TableName string
	// HistoryRetentionDays keeps audit events this many days
	// (HISTORY_RETENTION_DAYS); 0 keeps them for ever.
	HistoryRetentionDays int
	// CodeDir holds <Dir>/bootstrap for every function (the stripped
	// linux/arm64 binaries of `make lambdas`); default <repo>/.build/functions.
	CodeDir string
	// SiteDir is the built site (`make site`); default <repo>/site/dist.
	SiteDir string
	// Functions overrides the function list; nil means deploy.Functions.
	Functions []deploy.Function
	// SigningKeys names the access tokens' KMS signing keys, the one that
	// signs first; default ["1"]. Rotating is deploying with a new name
	// first ("2,1"), then, once the old key's last token has expired (5
	// minutes), without it ("2").
	SigningKeys []string
	// TokenAudience is the access tokens' audience (TOKEN_AUDIENCE);
	// default "roster".
	TokenAudience string
	// MailDomain, when set, is a domain the stack makes an SES identity of,
	// with Easy DKIM: its three DKIM CNAME records are stack outputs, to
	// add at the domain's DNS; MailFrom then is an address at it.
	MailDomain string
	// WebACLArn, when set, puts the distribution behind this WAF web ACL
	// (NewWafStack's, for make deploy WAF=1).
	WebACLArn *string
	// AlarmEmail, when set, subscribes this address to the alarms' topic.
	AlarmEmail string
	// EventBusName names an existing EventBridge bus that history events
	// are published to; empty creates the stack's own bus (<stack>-events).
	EventBusName string
}

// New defines Roster's stack in scope. It panics (as CDK constructs do) when
// a function's bootstrap or the site's directory is missing.
func New(scope constructs.Construct, id string, props Props) awscdk.Stack {
	fns := props.Functions
	if fns == nil {
		fns = deploy.Functions
	}
	codeDir, siteDir := props.CodeDir, props.SiteDir
	if codeDir == "" || siteDir == "" {
		root, err := RepoRoot()
		if err != nil {
			panic(err)
		}
		if codeDir == "" {
			codeDir = filepath.Join(root, ".build", "functions")
		}
		if siteDir == "" {
			siteDir = filepath.Join(root, "site", "dist")
		}
	}
	if err := deploy.Validate(fns); err != nil {
		panic(err)
	}
	if err := checkInputs(codeDir, siteDir, fns); err != nil {
		panic(err)
	}

	stack := awscdk.NewStack(scope, &id, &props.StackProps)
	table := newTable(stack, props.TableName)

	api := awsapigatewayv2.NewHttpApi(stack, jsii.String("HttpApi"), &awsapigatewayv2.HttpApiProps{
		Description:        jsii.String("Roster API, reached through CloudFront under /api/*."),
		CreateDefaultStage: jsii.Bool(false),
	})
	overrideLogicalID(api, "HttpApi")
	newDefaultStage(stack, api)

	alias, err := aliasOf(props.SiteURL, props.CertificateARN)
	if err != nil {
		panic(err)
	}
	// The secret CloudFront adds to every request it sends the API, and
	// the API requires (api.Options.OriginSecret): a request straight to
	// the execute-api endpoint is refused, and only a request that came
	// through CloudFront is trusted with the viewer's address. Both take it
	// from Secrets Manager at deployment (a dynamic reference): change it
	// by putting a new value in the secret and deploying again.
	originSecret := awssecretsmanager.NewSecret(stack, jsii.String("OriginSecret"), &awssecretsmanager.SecretProps{
		Description: jsii.String("Roster: the header value CloudFront sends the API; change it, then deploy."),
		GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
			PasswordLength: jsii.Number(48), ExcludePunctuation: jsii.Bool(true),
		},
	})
	overrideLogicalID(originSecret, "OriginSecret")
	suppress(originSecret, true, nagRule{"AwsSolutions-SMG4", "CloudFront's origin header and the functions' environment take the value at deployment (a dynamic reference): it is changed by putting a new value and deploying, as docs/operations.md says, not by a rotation Lambda.", nil})
	site := newSite(stack, api, siteDir, alias, props.CertificateARN, originSecret.SecretValue().UnsafeUnwrap(), props.WebACLArn)
	siteURL := jsii.String(props.SiteURL)
	if props.SiteURL == "" {
		siteURL = jsii.String("https://" + *site.DistributionDomainName())
	}
	mailFrom := jsii.String(props.MailFrom)
	if props.MailFrom == "" {
		mailFrom = awscdk.NewCfnParameter(stack, jsii.String("MailFrom"), &awscdk.CfnParameterProps{
			Type:           jsii.String("String"),
			Description:    jsii.String("Sender address of Roster's emails (an SES verified identity)."),
			AllowedPattern: jsii.String("^[^@\\s]+@[^@\\s]+$"),
		}).ValueAsString()
	}

	mail := newMailEvents(stack)
	signing := newSigningKeys(stack, props.SigningKeys)
	var bus awsevents.IEventBus
	if props.EventBusName != "" {
		bus = awsevents.EventBus_FromEventBusName(stack, jsii.String("EventBus"), jsii.String(props.EventBusName))
	} else {
		own := awsevents.NewEventBus(stack, jsii.String("EventBus"), &awsevents.EventBusProps{
			EventBusName: jsii.String(*stack.StackName() + "-events"),
			Description:  jsii.String("Roster's history events: source roster, detail-type the action."),
		})
		overrideLogicalID(own, "EventBus")
		bus = own
	}
	audience := props.TokenAudience
	if audience == "" {
		audience = "roster"
	}
	watch := &monitored{table: table, api: api, configSet: mail.configSet.ConfigurationSetName()}
	mine := map[string]bool{}
	for _, f := range fns {
		mine[f.LogicalID()] = true
		fn, dlq := newFunction(stack, f, functionDeps{
			table:    table,
			api:      api,
			codeDir:  codeDir,
			siteURL:  siteURL,
			mailFrom: mailFrom,
			// Every function that writes an audit event needs it.
			retentionDays: props.HistoryRetentionDays,
			mail:          mail,
			signing:       signing,
			audience:      audience,
			bus:           bus,
			watch:         watch,
			originSecret:  originSecret.SecretValue().UnsafeUnwrap(),
		})
		watch.functions = append(watch.functions, monitoredFunction{decl: f, fn: fn, logs: fn.LogGroup()})
		if dlq != nil {
			watch.queues = append(watch.queues, dlq)
		}
	}
	newAlarms(stack, *watch, props.AlarmEmail)

	quietRoleDependencies(stack, mine)
	// Every route checks the session itself (shared/auth) or is public on
	// purpose; IAM or JWT authorizers would not know Roster's sessions.
	suppress(api, true, nagRule{"AwsSolutions-APIG4", "Sessions are checked by the application on every request (shared/auth.Authenticator: an HttpOnly cookie, hashed at rest); the public routes are public on purpose (health, catalog, sign-in, JWKS).", nil})
	suppressBucketDeployment(stack)

	awscdk.NewCfnOutput(stack, jsii.String("SiteUrl"), &awscdk.CfnOutputProps{
		Description: jsii.String("The admin site (and the API under /api/)."),
		Value:       jsii.String("https://" + *site.DistributionDomainName()),
	})
	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{
		Description: jsii.String("Base URL of the HTTP API itself, without CloudFront."),
		Value:       api.ApiEndpoint(),
	})
	awscdk.NewCfnOutput(stack, jsii.String("TableName"), &awscdk.CfnOutputProps{
		Value: table.TableName(),
	})
	if props.MailDomain != "" {
		newMailDomain(stack, props.MailDomain, mail)
	}
	return stack
}

// quietRoleDependencies removes the DependsOn on its role that the Lambda
// construct adds to each of Roster's functions (cfn-lint W3005: the Role
// GetAtt already orders them, and the role's policies are inline). CDK's own
// functions (the site deployment's) also depend on a separate policy, which
// is needed, so there W3005 is silenced in the resource's cfn-lint metadata.
func quietRoleDependencies(stack awscdk.Stack, mine map[string]bool) {
	for _, c := range *stack.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		res, ok := c.(awscdk.CfnResource)
		if !ok || *res.CfnResourceType() != "AWS::Lambda::Function" {
			continue
		}
		if fn := res.Node().Scope(); fn != nil && mine[*fn.Node().Id()] && *fn.Node().Scope().Node().Id() == *stack.Node().Id() {
			res.AddDeletionOverride(jsii.String("DependsOn"))
			continue
		}
		res.AddMetadata(jsii.String("cfn-lint"), map[string]any{
			"config": map[string]any{"ignore_checks": []string{"W3005"}},
		})
	}
}

// aliasOf returns the distribution's alternate domain name: SiteURL's host
// when a certificate is given, which needs SiteURL to be an https origin.
func aliasOf(siteURL, certificateARN string) (string, error) {
	if certificateARN == "" {
		return "", nil
	}
	u, err := url.Parse(siteURL)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Port() != "" || strings.Trim(u.Path, "/") != "" {
		return "", fmt.Errorf("stack: a certificate needs siteUrl to be an https origin such as https://roster.example.com, got %q", siteURL)
	}
	if !strings.HasPrefix(certificateARN, "arn:") || !strings.Contains(certificateARN, ":acm:us-east-1:") {
		return "", fmt.Errorf("stack: CloudFront needs an ACM certificate ARN in us-east-1, got %q", certificateARN)
	}
	return u.Hostname(), nil
}

// RepoRoot returns the repository's root: the nearest directory, from the
// working directory up, holding the go.mod of module roster.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(b), "module roster\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("stack: no go.mod of module roster above the working directory")
		}
		dir = parent
	}
}

// checkInputs reports a missing build output with the command that makes it,
// before CDK fails on it with a less helpful message.
func checkInputs(codeDir, siteDir string, fns []deploy.Function) error {
	for _, f := range fns {
		if _, err := os.Stat(filepath.Join(codeDir, f.Name, "bootstrap")); err != nil {
			return fmt.Errorf("stack: function %s has no bootstrap (run make lambdas): %w", f.LogicalID(), err)
		}
	}
	if _, err := os.Stat(filepath.Join(siteDir, "index.html")); err != nil {
		return fmt.Errorf("stack: the site is not built (run make site): %w", err)
	}
	return nil
}

// overrideLogicalID gives the construct's CloudFormation resource the
// logical id template.yaml uses for it.
func overrideLogicalID(c constructs.IConstruct, id string) {
	c.Node().DefaultChild().(awscdk.CfnResource).OverrideLogicalId(jsii.String(id))
}

// newTable defines the table from store.Table, the one definition of its
// keys, indexes, TTL attribute and stream.
func newTable(stack awscdk.Stack, name string) awsdynamodb.Table {
	def := store.Table
	stream := awsdynamodb.StreamViewType_KEYS_ONLY
	if def.StreamNewAndOldImages {
		stream = awsdynamodb.StreamViewType_NEW_AND_OLD_IMAGES
	}
	props := &awsdynamodb.TableProps{
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String(def.PartitionKey), Type: awsdynamodb.AttributeType_STRING},
		SortKey:      &awsdynamodb.Attribute{Name: jsii.String(def.SortKey), Type: awsdynamodb.AttributeType_STRING},
		BillingMode:  awsdynamodb.BillingMode_PAY_PER_REQUEST,
		Stream:       stream,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		DeletionProtection: jsii.Bool(true),
		Encryption:         awsdynamodb.TableEncryption_AWS_MANAGED,
		RemovalPolicy:      awscdk.RemovalPolicy_RETAIN,
	}
	if def.TTLAttribute != "" {
		props.TimeToLiveAttribute = jsii.String(def.TTLAttribute)
	}
	if name != "" {
		props.TableName = jsii.String(name)
	}
	table := awsdynamodb.NewTable(stack, jsii.String("Table"), props)
	for _, ix := range def.Indexes {
		table.AddGlobalSecondaryIndex(&awsdynamodb.GlobalSecondaryIndexProps{
			IndexName:      jsii.String(ix.Name),
			PartitionKey:   &awsdynamodb.Attribute{Name: jsii.String(ix.PartitionKey), Type: awsdynamodb.AttributeType_STRING},
			SortKey:        &awsdynamodb.Attribute{Name: jsii.String(ix.SortKey), Type: awsdynamodb.AttributeType_STRING},
			ProjectionType: awsdynamodb.ProjectionType_ALL,
		})
	}
	overrideLogicalID(table, "Table")
	return table
}

// newDefaultStage defines the HTTP API's $default stage with throttling
// and JSON access logs.
func newDefaultStage(stack awscdk.Stack, api awsapigatewayv2.HttpApi) {
	logs := awslogs.NewLogGroup(stack, jsii.String("HttpApiAccessLogs"), &awslogs.LogGroupProps{
		Retention:     awslogs.RetentionDays_ONE_MONTH,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	stage := awsapigatewayv2.NewHttpStage(stack, jsii.String("HttpApiDefaultStage"), &awsapigatewayv2.HttpStageProps{
		HttpApi:    api,
		AutoDeploy: jsii.Bool(true),
		Throttle: &awsapigatewayv2.ThrottleSettings{
			RateLimit:  jsii.Number(throttleRatePerSecond),
			BurstLimit: jsii.Number(throttleBurst),
		},
	})
	// Set on the L1 resource: the L2 access-log settings are a jsii
	// interface, which Go would have to implement.
	stage.Node().DefaultChild().(awsapigatewayv2.CfnStage).SetAccessLogSettings(&awsapigatewayv2.CfnStage_AccessLogSettingsProperty{
		DestinationArn: logs.LogGroupArn(),
		Format: jsii.String(`{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","time":"$context.requestTime",` +
			`"method":"$context.httpMethod","route":"$context.routeKey","status":"$context.status",` +
			`"length":"$context.responseLength","latency":"$context.responseLatency","error":"$context.integrationErrorMessage"}`),
	})
}

// functionDeps is what every function refers to.
type functionDeps struct {
	table             awsdynamodb.Table
	api               awsapigatewayv2.HttpApi
	codeDir           string
	siteURL, mailFrom *string
	retentionDays     int
	mail              mailEvents
	signing           []*string // the signing keys' ARNs, the signing one first
	audience          string
	bus               awsevents.IEventBus
	watch             *monitored
	originSecret      *string
}

// xrayActions are what a traced function needs to send its traces.
var xrayActions = []string{"xray:PutTelemetryRecords", "xray:PutTraceSegments"}

// streamActions are what a function fed by the table's stream needs on it.
var streamActions = []string{"dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"}

// newFunction defines one function: its log group, its role with exactly
// the access it needs, the function, and its routes or stream.
func newFunction(stack awscdk.Stack, f deploy.Function, d functionDeps) (awslambda.Function, awssqs.Queue) {
	logGroup := awslogs.NewLogGroup(stack, jsii.String(f.LogicalID()+"Logs"), &awslogs.LogGroupProps{
		Retention:     awslogs.RetentionDays_ONE_MONTH,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	overrideLogicalID(logGroup, f.LogicalID()+"Logs")

	var deadLetters awssqs.Queue
	access := statements(stack, f, d, logGroup)
	if f.DeadLetters {
		// The stream's on-failure destination: records whose retries are
		// spent are kept (their batch's place in the stream) instead of
		// dropped.
		deadLetters = awssqs.NewQueue(stack, jsii.String(f.DeadLetterID()), &awssqs.QueueProps{
			RetentionPeriod: awscdk.Duration_Seconds(jsii.Number(deploy.DeadLetterRetentionSeconds)),
			Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
			EnforceSSL:      jsii.Bool(true),
		})
		overrideLogicalID(deadLetters, f.DeadLetterID())
		suppress(deadLetters, true, nagDeadLetterQueue...)
		appended := append(*access, statement([]string{"sqs:SendMessage"}, deadLetters.QueueArn()))
		access = &appended
	}
	role := awsiam.NewRole(stack, jsii.String(f.LogicalID()+"Role"), &awsiam.RoleProps{
		AssumedBy:      awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		InlinePolicies: &map[string]awsiam.PolicyDocument{"access": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: access})},
	})
	overrideLogicalID(role, f.LogicalID()+"Role")
	roleRules := []nagRule{nagXRay, nagStar}
	if f.QueriesIndexes() {
		roleRules = append(roleRules, nagIndexQuery)
	}
	suppress(role, true, roleRules...)

	env := map[string]*string{
		"TABLE_NAME":             d.table.TableName(),
		"SITE_URL":               d.siteURL,
		"MAIL_FROM":              d.mailFrom,
		"HISTORY_RETENTION_DAYS": jsii.String(strconv.Itoa(d.retentionDays)),
		// The SES configuration set whose events reach SesEventsFunction;
		// every function gets it (as template.yaml's Globals), only the
		// mail senders use it.
		"SES_CONFIGURATION_SET": d.mail.configSet.ConfigurationSetName(),
	}
	for k, v := range f.Env {
		env[k] = jsii.String(v)
	}
	if f.PublishesEvents {
		env["EVENT_BUS_NAME"] = d.bus.EventBusName()
	}
	if len(f.Routes) > 0 {
		env["ORIGIN_SECRET"] = d.originSecret
	}
	if f.TokenKeys != "" {
		env["TOKEN_KMS_KEYS"] = awscdk.Fn_Join(jsii.String(","), &d.signing)
		env["TOKEN_AUDIENCE"] = jsii.String(d.audience)
	}
	fn := awslambda.NewFunction(stack, jsii.String(f.LogicalID()), &awslambda.FunctionProps{
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         awslambda.Code_FromAsset(jsii.String(filepath.Join(d.codeDir, f.Name)), nil),
		Role:         role,
		Description:  jsii.String(f.Description),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(f.Timeout())),
		MemorySize:   jsii.Number(f.Memory()),
		Environment:  &env,
		LogGroup:     logGroup,
	})
	overrideLogicalID(fn, f.LogicalID())
	// Traced by X-Ray (the role's inline policy may write traces). Set on
	// the resource: Tracing in the props would add a second policy.
	cfn := fn.Node().DefaultChild().(awslambda.CfnFunction)
	cfn.SetTracingConfig(&awslambda.CfnFunction_TracingConfigProperty{Mode: jsii.String("Active")})
	switch {
	case f.MailEvents:
		// SNS invokes it asynchronously: what Lambda's own retries could
		// not deliver goes to its dead-letter queue, and what SNS could
		// not deliver to the subscription's.
		cfn.SetDeadLetterConfig(&awslambda.CfnFunction_DeadLetterConfigProperty{TargetArn: deadLetters.QueueArn()})
		d.mail.subscribe(stack, fn, d.watch)
	case f.Stream:
		suppress(fn, false, nagRule{"Serverless-LambdaDLQ", "Invoked by its stream's event source mapping, whose on-failure destination (an SQS queue) keeps the batches it could not process.", nil})
	default:
		suppress(fn, false, nagRule{"Serverless-LambdaDLQ", "Invoked synchronously by API Gateway: a failure is the caller's 5xx answer; nothing is invoked asynchronously to dead-letter.", nil})
	}

	if len(f.Routes) > 0 {
		integration := awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String(f.LogicalID()+"Integration"), fn, nil)
		for _, r := range f.Routes {
			d.api.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
				Path:        jsii.String(r.Path),
				Methods:     &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod(r.Method)},
				Integration: integration,
			})
		}
	}
	if f.Stream {
		var filters *[]*map[string]any
		if len(f.StreamFilters) > 0 {
			fs := make([]*map[string]any, 0, len(f.StreamFilters))
			for _, p := range f.StreamFilters {
				fs = append(fs, awslambda.FilterCriteria_Filter(&p))
			}
			filters = &fs
		}
		esm := awslambda.NewEventSourceMapping(stack, jsii.String(f.LogicalID()+"Stream"), &awslambda.EventSourceMappingProps{
			Target:                  fn,
			EventSourceArn:          d.table.TableStreamArn(),
			StartingPosition:        awslambda.StartingPosition_TRIM_HORIZON,
			BatchSize:               jsii.Number(f.BatchSize()),
			BisectBatchOnError:      jsii.Bool(true),
			RetryAttempts:           jsii.Number(f.RetryAttempts()),
			ReportBatchItemFailures: jsii.Bool(true),
			MaxRecordAge:            awscdk.Duration_Seconds(jsii.Number(deploy.StreamMaxRecordAgeSeconds)),
			Filters:                 filters,
		})
		if deadLetters != nil {
			// Set on the resource rather than through SqsDlq, whose grant
			// would add a policy beside the role's one inline policy (it
			// has sqs:SendMessage on the queue).
			esm.Node().DefaultChild().(awslambda.CfnEventSourceMapping).SetDestinationConfig(&awslambda.CfnEventSourceMapping_DestinationConfigProperty{
				OnFailure: &awslambda.CfnEventSourceMapping_OnFailureProperty{Destination: deadLetters.QueueArn()}})
		}
	}
	return fn, deadLetters
}

// statements returns the function's IAM statements: writing to its own log
// group, exactly its table actions (Query also on the indexes), reading the
// table's stream when it consumes it, and sending mail from MAIL_FROM's
// identity (the address's or its domain's, whichever SES verified). While
// the AWS account is in the SES sandbox, recipients must be verified
// identities too, and SES then also checks ses:SendEmail on them; this
// policy is for production access. Messages name the configuration set
// (SES_CONFIGURATION_SET), on which SES checks ses:SendEmail too.
func statements(stack awscdk.Stack, f deploy.Function, d functionDeps, logGroup awslogs.LogGroup) *[]awsiam.PolicyStatement {
	out := []awsiam.PolicyStatement{
		statement([]string{"logs:CreateLogStream", "logs:PutLogEvents"}, logGroup.LogGroupArn()),
		statement(xrayActions, jsii.String("*")),
	}
	if len(f.TableActions) > 0 {
		out = append(out, statement(f.TableActions, d.table.TableArn()))
		if f.QueriesIndexes() {
			out = append(out, statement([]string{"dynamodb:Query"}, jsii.String(*d.table.TableArn()+"/index/*")))
		}
	}
	if f.Stream {
		out = append(out, statement(streamActions, d.table.TableStreamArn()))
	}
	if f.PublishesEvents {
		out = append(out, statement([]string{"events:PutEvents"}, d.bus.EventBusArn()))
	}
	switch f.TokenKeys {
	case deploy.TokenKeysSign:
		out = append(out, statement([]string{"kms:Sign"}, d.signing[0]))
		fallthrough
	case deploy.TokenKeysRead:
		out = append(out, statement([]string{"kms:GetPublicKey"}, d.signing...))
	}
	if f.SendsMail {
		identity := func(name *string) *string {
			return stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ses"), Resource: jsii.String("identity"), ResourceName: name})
		}
		domain := awscdk.Fn_Select(jsii.Number(1), awscdk.Fn_Split(jsii.String("@"), d.mailFrom, jsii.Number(2)))
		out = append(out, statement([]string{"ses:SendEmail"}, identity(d.mailFrom), identity(domain), d.mail.configurationSetArn(stack)))
	}
	return &out
}

// newSigningKeys defines the access tokens' signing keys, asymmetric KMS
// keys (ECC_NIST_P256, SIGN_VERIFY) whose private halves never leave KMS,
// logical ids TokenSigningKey<name>, and returns their ARNs. A key dropped
// from the list is scheduled for deletion after KMS's 30-day wait.
func newSigningKeys(stack awscdk.Stack, names []string) []*string {
	if len(names) == 0 {
		names = []string{"1"}
	}
	arns := make([]*string, 0, len(names))
	for _, name := range names {
		k := awskms.NewKey(stack, jsii.String("TokenSigningKey"+name), &awskms.KeyProps{
			Description:   jsii.String("Roster: signs access tokens (ES256), key " + name),
			KeySpec:       awskms.KeySpec_ECC_NIST_P256,
			KeyUsage:      awskms.KeyUsage_SIGN_VERIFY,
			PendingWindow: awscdk.Duration_Days(jsii.Number(30)),
			RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
		})
		overrideLogicalID(k, "TokenSigningKey"+name)
		arns = append(arns, k.KeyArn())
	}
	return arns
}

// statement allows the actions, sorted, on the resources.
func statement(actions []string, resources ...*string) awsiam.PolicyStatement {
	sorted := append([]string(nil), actions...)
	sort.Strings(sorted)
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Effect:    awsiam.Effect_ALLOW,
		Actions:   jsii.Strings(sorted...),
		Resources: &resources,
	})
}

// newSite defines the site's bucket, its deployment and the CloudFront
// distribution in front of the bucket and of the HTTP API.
func newSite(stack awscdk.Stack, api awsapigatewayv2.HttpApi, siteDir, alias, certificateARN string, originSecret, webACL *string) awscloudfront.Distribution {
	bucket := awss3.NewBucket(stack, jsii.String("SiteBucket"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		AutoDeleteObjects: jsii.Bool(false),
	})
	suppress(bucket, true, nagRule{"AwsSolutions-S1", "The site's built files, read only by CloudFront through origin access control: every viewer request is in CloudFront's metrics, and the objects change only by deployment (CloudTrail).", nil})

	headers := securityHeaders(stack, "SecurityHeaders", "Roster security headers (site and API)", ContentSecurityPolicy)
	docsHeaders := securityHeaders(stack, "DocsSecurityHeaders", "Roster security headers (API reference)", DocsContentSecurityPolicy)

	// The SPA fallback is a viewer-request function on the site's behaviour
	// only: CloudFront's custom error responses would apply to /api/* too
	// and turn the API's JSON 403/404 answers into index.html.
	spa := awscloudfront.NewFunction(stack, jsii.String("SpaRewrite"), &awscloudfront.FunctionProps{
		Comment: jsii.String("Serves /index.html for extensionless paths (client-side routes)."),
		Runtime: awscloudfront.FunctionRuntime_JS_2_0(),
		Code:    awscloudfront.FunctionCode_FromInline(jsii.String(SpaRewriteCode)),
	})

	// The API's domain, <apiId>.execute-api.<region>.amazonaws.com, from
	// its endpoint https://<domain>.
	apiDomain := awscdk.Fn_Select(jsii.Number(2), awscdk.Fn_Split(jsii.String("/"), api.ApiEndpoint(), nil))

	var domainNames *[]*string
	var certificate awscertificatemanager.ICertificate
	var minimumTLS awscloudfront.SecurityPolicyProtocol // CloudFront's default certificate fixes its own
	if alias != "" {
		minimumTLS = awscloudfront.SecurityPolicyProtocol_TLS_V1_2_2021
		domainNames = jsii.Strings(alias)
		certificate = awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("SiteCertificate"), jsii.String(certificateARN))
	}
	siteOrigin := awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(bucket, nil)
	siteBehavior := func(policy awscloudfront.IResponseHeadersPolicy) *awscloudfront.BehaviorOptions {
		return &awscloudfront.BehaviorOptions{
			Origin:                siteOrigin,
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			CachePolicy:           awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
			ResponseHeadersPolicy: policy,
			Compress:              jsii.Bool(true),
			FunctionAssociations: &[]*awscloudfront.FunctionAssociation{
				{Function: spa, EventType: awscloudfront.FunctionEventType_VIEWER_REQUEST},
			},
		}
	}
	apiOrigin := awscloudfrontorigins.NewHttpOrigin(apiDomain, &awscloudfrontorigins.HttpOriginProps{
		ProtocolPolicy: awscloudfront.OriginProtocolPolicy_HTTPS_ONLY,
		CustomHeaders:  &map[string]*string{"X-Roster-Origin": originSecret},
	})
	// What the API needs of a viewer's request: its own headers (not Host,
	// which must be the API's), every cookie and query string, and the
	// viewer's address, which CloudFront adds only when asked.
	apiRequests := awscloudfront.NewOriginRequestPolicy(stack, jsii.String("ApiOriginRequests"), &awscloudfront.OriginRequestPolicyProps{
		Comment: jsii.String("Roster API: viewer headers the API reads, the viewer's address, cookies, query strings"),
		HeaderBehavior: awscloudfront.OriginRequestHeaderBehavior_AllowList(jsii.String("Accept"), jsii.String("Accept-Language"),
			jsii.String("Content-Type"), jsii.String("Origin"), jsii.String("Referer"), jsii.String("User-Agent"), jsii.String("Idempotency-Key"),
			jsii.String("If-None-Match"), jsii.String("CloudFront-Viewer-Address")),
		CookieBehavior:      awscloudfront.OriginRequestCookieBehavior_All(),
		QueryStringBehavior: awscloudfront.OriginRequestQueryStringBehavior_All(),
	})
	overrideLogicalID(apiRequests, "ApiOriginRequests")
	dist := awscloudfront.NewDistribution(stack, jsii.String("Distribution"), &awscloudfront.DistributionProps{
		DomainNames:            domainNames,
		Certificate:            certificate,
		MinimumProtocolVersion: minimumTLS,
		WebAclId:               webACL,
		Comment:                jsii.String("Roster admin site and API"),
		DefaultRootObject:      jsii.String("index.html"),
		HttpVersion:            awscloudfront.HttpVersion_HTTP2_AND_3,
		PriceClass:             awscloudfront.PriceClass_PRICE_CLASS_100,
		DefaultBehavior:        siteBehavior(headers),
		AdditionalBehaviors: &map[string]*awscloudfront.BehaviorOptions{
			"/api-docs*": siteBehavior(docsHeaders),
			// The token verification documents: from the API, cached as
			// they say (5 minutes).
			"/.well-known/*": {
				Origin:                apiOrigin,
				ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_HTTPS_ONLY,
				AllowedMethods:        awscloudfront.AllowedMethods_ALLOW_GET_HEAD(),
				CachePolicy:           awscloudfront.CachePolicy_USE_ORIGIN_CACHE_CONTROL_HEADERS(),
				ResponseHeadersPolicy: headers,
			},
			"/api/*": {
				Origin:                apiOrigin,
				ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_HTTPS_ONLY,
				AllowedMethods:        awscloudfront.AllowedMethods_ALLOW_ALL(),
				CachePolicy:           awscloudfront.CachePolicy_CACHING_DISABLED(),
				OriginRequestPolicy:   apiRequests,
				ResponseHeadersPolicy: headers,
			},
		},
	})

	rules := []nagRule{
		{"AwsSolutions-CFR1", "Roster serves its admins wherever they are; an operator restricts countries in the distribution if their product needs it.", nil},
		{"AwsSolutions-CFR2", "WAF is optional (make deploy WAF=1): the API applies its own per-address and per-email limits.", nil},
		{"AwsSolutions-CFR3", "No standard logs: they would keep every viewer's address; CloudFront's metrics and the API's own request logs (with the request id) cover operations.", nil},
	}
	if certificate == nil {
		rules = append(rules, nagRule{"AwsSolutions-CFR4", "Without a custom domain the distribution uses CloudFront's default certificate, whose security policy CloudFront fixes; with one (certificateArn) it is TLSv1.2_2021.", nil})
	}
	suppress(dist, true, rules...)

	awss3deployment.NewBucketDeployment(stack, jsii.String("SiteDeployment"), &awss3deployment.BucketDeploymentProps{
		Sources:           &[]awss3deployment.ISource{awss3deployment.Source_Asset(jsii.String(siteDir), nil)},
		DestinationBucket: bucket,
		Distribution:      dist,
		DistributionPaths: jsii.Strings("/*"),
		Prune:             jsii.Bool(true),
		MemoryLimit:       jsii.Number(256),
	})
	return dist
}

// SpaRewriteCode is the CloudFront Function (runtime cloudfront-js-2.0) that
// rewrites extensionless paths such as /members/u1 to /index.html, and
// /api-docs to the API reference's own index.
const SpaRewriteCode = `function handler(event) {
  var request = event.request;
  if (request.uri === '/api-docs' || request.uri === '/api-docs/') {
    request.uri = '/api-docs/index.html';
    return request;
  }
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
`

// securityHeaders returns a response headers policy with the site's
// security headers and the given CSP.
func securityHeaders(stack awscdk.Stack, id, comment, csp string) awscloudfront.ResponseHeadersPolicy {
	return awscloudfront.NewResponseHeadersPolicy(stack, jsii.String(id), &awscloudfront.ResponseHeadersPolicyProps{
		Comment: jsii.String(comment),
		SecurityHeadersBehavior: &awscloudfront.ResponseSecurityHeadersBehavior{
			ContentSecurityPolicy: &awscloudfront.ResponseHeadersContentSecurityPolicy{
				ContentSecurityPolicy: jsii.String(csp), Override: jsii.Bool(true),
			},
			StrictTransportSecurity: &awscloudfront.ResponseHeadersStrictTransportSecurity{
				AccessControlMaxAge: awscdk.Duration_Days(jsii.Number(730)), IncludeSubdomains: jsii.Bool(true), Override: jsii.Bool(true),
			},
			ContentTypeOptions: &awscloudfront.ResponseHeadersContentTypeOptions{Override: jsii.Bool(true)},
			FrameOptions: &awscloudfront.ResponseHeadersFrameOptions{
				FrameOption: awscloudfront.HeadersFrameOption_DENY, Override: jsii.Bool(true),
			},
			ReferrerPolicy: &awscloudfront.ResponseHeadersReferrerPolicy{
				ReferrerPolicy: awscloudfront.HeadersReferrerPolicy_NO_REFERRER, Override: jsii.Bool(true),
			},
		},
	})
}
