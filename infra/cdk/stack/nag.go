package stack

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// nagRule is one cdk-nag finding the stack accepts on purpose, with why.
type nagRule struct {
	id, reason string
	appliesTo  []string
}

// suppress records accepted cdk-nag findings on c (and its children when
// children is set), next to the resource they are about. The test runs the
// AwsSolutions and Serverless packs and allows no other finding.
func suppress(c constructs.IConstruct, children bool, rules ...nagRule) {
	s := make([]*cdknag.NagPackSuppression, 0, len(rules))
	for _, r := range rules {
		n := &cdknag.NagPackSuppression{Id: jsii.String(r.id), Reason: jsii.String(r.reason)}
		if len(r.appliesTo) > 0 {
			applies := make([]any, 0, len(r.appliesTo))
			for _, a := range r.appliesTo {
				applies = append(applies, a)
			}
			n.AppliesTo = &applies
		}
		s = append(s, n)
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &s, jsii.Bool(children))
}

// Reasons shared by several resources.
var (
	nagIndexQuery = nagRule{"AwsSolutions-IAM5", "dynamodb:Query on the table's global secondary indexes, whose ARNs are the table's with /index/<name>: only this table's indexes.",
		[]string{"Resource::<Table.Arn>/index/*"}}
	nagXRay = nagRule{"AwsSolutions-IAM5", "xray:PutTraceSegments and xray:PutTelemetryRecords take no resource: X-Ray requires *.",
		[]string{"Resource::*"}}
	nagStar            = nagRule{"Serverless-LambdaStarPermissions", "The only wildcards are X-Ray's trace actions, which take no resource, and, for a function that queries, the table's own indexes (<table ARN>/index/*); every other action names its resource.", nil}
	nagDeadLetterQueue = []nagRule{
		{"AwsSolutions-SQS3", "This queue is itself a dead-letter queue.", nil},
		{"Serverless-SQSRedrivePolicy", "This queue is itself a dead-letter queue.", nil},
	}
)

// suppressBucketDeployment accepts the findings on the site deployment's
// custom resource, which CDK provides (its runtime, role and policy are
// not the stack's to choose) and runs only during deployments.
func suppressBucketDeployment(stack awscdk.Stack) {
	for _, c := range *stack.Node().Children() {
		if !strings.HasPrefix(*c.Node().Id(), "Custom::CDKBucketDeployment") {
			continue
		}
		const why = "CDK's BucketDeployment provider, which copies the built site into its bucket during deployments only; CDK defines its function, runtime and role."
		suppress(c, true,
			nagRule{"AwsSolutions-IAM4", why + " It uses AWSLambdaBasicExecutionRole for its logs.", nil},
			nagRule{"AwsSolutions-IAM5", why + " It reads CDK's asset bucket and writes and prunes the site bucket's objects.", nil},
			nagRule{"AwsSolutions-L1", why, nil},
			nagRule{"Serverless-LambdaLatestVersion", why, nil},
			nagRule{"Serverless-LambdaDLQ", why + " CloudFormation invokes it and reports its failure.", nil},
			nagRule{"Serverless-LambdaTracing", why, nil},
		)
	}
}
