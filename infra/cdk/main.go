// Command cdk is Roster's CDK app (run by the CDK CLI through cdk.json). It
// synthesizes the Roster stack offline, without lookups, from these context
// values (cdk synth -c name=value):
//
//   - siteUrl: the site's origin for SITE_URL; default https://<CloudFront domain>;
//   - mailFrom: the sender address for MAIL_FROM; default the stack's
//     MailFrom parameter (cdk deploy --parameters MailFrom=...);
//   - certificateArn: an ACM certificate (us-east-1) for siteUrl's host,
//     which then becomes the CloudFront distribution's alternate domain name;
//   - tableName: the table's name; default a generated one;
//   - historyRetentionDays: days to keep history events; default 0 (for ever);
//   - stage: names the stack Roster-<stage> and tags every resource with
//     it (every resource is tagged project=roster);
//   - stackName: the stack's name; default Roster or Roster-<stage>;
//   - waf: 1 puts the distribution behind a WAF web ACL (a stack in
//     us-east-1: AWS's common rules and a rate limit on /api/auth/*);
//   - signingKeys: the access tokens' signing keys, comma-separated, the
//     one that signs first; default 1 (rotate with 2,1, then 2);
//   - tokenAudience: the access tokens' audience; default roster;
//   - mailDomain: a domain made an SES identity with DKIM (its DNS
//     records are stack outputs);
//   - alarmEmail: an address subscribed to the alarms' SNS topic;
//   - eventBusName: an existing EventBridge bus for the history events;
//     default the stack's own bus <stackName>-events;
//   - codeDir, siteDir: the built functions and site; default
//     <repo>/.build/functions and <repo>/site/dist.
//
// CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION, which the CLI sets from the
// deployer's credentials, pin the stack's environment when present.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"roster/infra/cdk/stack"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	props := stack.Props{
		StackProps: awscdk.StackProps{
			Description: jsii.String("Roster: account user management (invitations, members, permissions, history)."),
			Env:         env(),
		},
		SiteURL:        contextString(app, "siteUrl"),
		MailFrom:       contextString(app, "mailFrom"),
		TableName:      contextString(app, "tableName"),
		CertificateARN: contextString(app, "certificateArn"),
		CodeDir:        contextString(app, "codeDir"),
		SiteDir:        contextString(app, "siteDir"),
		TokenAudience:  contextString(app, "tokenAudience"),
		EventBusName:   contextString(app, "eventBusName"),
		AlarmEmail:     contextString(app, "alarmEmail"),
		MailDomain:     contextString(app, "mailDomain"),
	}
	for _, k := range strings.Split(contextString(app, "signingKeys"), ",") {
		if k = strings.TrimSpace(k); k != "" {
			props.SigningKeys = append(props.SigningKeys, k)
		}
	}
	if days := contextString(app, "historyRetentionDays"); days != "" {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			panic(fmt.Sprintf("context historyRetentionDays=%q is not a whole number of days", days))
		}
		props.HistoryRetentionDays = n
	}
	// STAGE names the stack (Roster-<stage>) and, through it, the
	// resources named after it; every resource is tagged with the project
	// and the stage.
	stage := contextString(app, "stage")
	name := stackName(stage, contextString(app, "stackName"))
	// CloudFormation takes no tags on a dashboard.
	untagged := &awscdk.TagProps{ExcludeResourceTypes: jsii.Strings("AWS::CloudWatch::Dashboard")}
	awscdk.Tags_Of(app).Add(jsii.String("project"), jsii.String("roster"), untagged)
	if stage != "" {
		awscdk.Tags_Of(app).Add(jsii.String("stage"), jsii.String(stage), untagged)
	}
	if contextString(app, "waf") == "1" {
		// CloudFront's web ACLs live in us-east-1: a stack there, whose ARN
		// the main stack reads across regions.
		wafEnv := &awscdk.Environment{Account: jsii.String(os.Getenv("CDK_DEFAULT_ACCOUNT")), Region: jsii.String("us-east-1")}
		_, arn := stack.NewWafStack(app, name+"-waf", awscdk.StackProps{Env: wafEnv, CrossRegionReferences: jsii.Bool(true),
			Description: jsii.String("Roster: the web ACL of the CloudFront distribution (make deploy WAF=1).")})
		props.WebACLArn = arn
		props.StackProps.CrossRegionReferences = jsii.Bool(true)
	}
	stack.New(app, name, props)
	app.Synth(nil)
}

// contextString returns the app's context value name, or "" when unset.
func contextString(app awscdk.App, name string) string {
	v := app.Node().TryGetContext(jsii.String(name))
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// env returns the deployer's account and region, or nil (an
// environment-agnostic stack) when the CLI did not set them.
func env() *awscdk.Environment {
	account, region := os.Getenv("CDK_DEFAULT_ACCOUNT"), os.Getenv("CDK_DEFAULT_REGION")
	if account == "" && region == "" {
		return nil
	}
	e := &awscdk.Environment{}
	if account != "" {
		e.Account = jsii.String(account)
	}
	if region != "" {
		e.Region = jsii.String(region)
	}
	return e
}

// stackName is the stack's name: the given one, else Roster, or
// Roster-<stage> for a stage.
func stackName(stage, given string) string {
	switch {
	case given != "":
		return given
	case stage != "":
		return "Roster-" + stage
	}
	return "Roster"
}
