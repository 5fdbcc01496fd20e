package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Sign-in rate limit of the optional WAF: requests to /api/auth/* from one
// address in any 5 minutes (WAF's evaluation window) before it blocks
// that address for a while. Well above what a person does, well below a
// credential-stuffing run; the API's own limits stay in force below it.
const wafAuthRequestsPer5Min = 300

// NewWafStack defines the optional web ACL for the distribution (make
// deploy WAF=1). CloudFront's web ACLs live in us-east-1, so it is a stack
// of its own there; the main stack reads its ARN across regions. It holds
// AWS's managed common rule set and a rate-based rule on /api/auth/*.
func NewWafStack(scope constructs.Construct, id string, props awscdk.StackProps) (awscdk.Stack, *string) {
	stack := awscdk.NewStack(scope, jsii.String(id), &props)
	visibility := func(name string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
		return &awswafv2.CfnWebACL_VisibilityConfigProperty{CloudWatchMetricsEnabled: jsii.Bool(true),
			MetricName: jsii.String(name), SampledRequestsEnabled: jsii.Bool(true)}
	}
	acl := awswafv2.NewCfnWebACL(stack, jsii.String("WebAcl"), &awswafv2.CfnWebACLProps{
		Scope:            jsii.String("CLOUDFRONT"),
		DefaultAction:    &awswafv2.CfnWebACL_DefaultActionProperty{Allow: &awswafv2.CfnWebACL_AllowActionProperty{}},
		VisibilityConfig: visibility("roster"),
		Rules: &[]any{
			&awswafv2.CfnWebACL_RuleProperty{
				Name: jsii.String("aws-common"), Priority: jsii.Number(0),
				OverrideAction: &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]any{}},
				Statement: &awswafv2.CfnWebACL_StatementProperty{ManagedRuleGroupStatement: &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{
					VendorName: jsii.String("AWS"), Name: jsii.String("AWSManagedRulesCommonRuleSet"),
				}},
				VisibilityConfig: visibility("aws-common"),
			},
			&awswafv2.CfnWebACL_RuleProperty{
				Name: jsii.String("auth-rate"), Priority: jsii.Number(1),
				Action: &awswafv2.CfnWebACL_RuleActionProperty{Block: &awswafv2.CfnWebACL_BlockActionProperty{}},
				Statement: &awswafv2.CfnWebACL_StatementProperty{RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
					Limit: jsii.Number(wafAuthRequestsPer5Min), AggregateKeyType: jsii.String("IP"),
					ScopeDownStatement: &awswafv2.CfnWebACL_StatementProperty{ByteMatchStatement: &awswafv2.CfnWebACL_ByteMatchStatementProperty{
						FieldToMatch:         &awswafv2.CfnWebACL_FieldToMatchProperty{UriPath: map[string]any{}},
						PositionalConstraint: jsii.String("STARTS_WITH"),
						SearchString:         jsii.String("/api/auth/"),
						TextTransformations:  &[]any{&awswafv2.CfnWebACL_TextTransformationProperty{Priority: jsii.Number(0), Type: jsii.String("LOWERCASE")}},
					}},
				}},
				VisibilityConfig: visibility("auth-rate"),
			},
		},
	})
	acl.OverrideLogicalId(jsii.String("WebAcl"))
	return stack, acl.AttrArn()
}
