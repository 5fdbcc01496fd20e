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
//   - stackName: the stack's name; default Roster;
//   - signingKeys: the access tokens' signing keys, comma-separated, the
//     one that signs first; default 1 (rotate with 2,1, then 2);
//   - tokenAudience: the access tokens' audience; default roster;
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
	name := contextString(app, "stackName")
	if name == "" {
		name = "Roster"
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
