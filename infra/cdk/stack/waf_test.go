package stack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// TestWaf: the optional web ACL (make deploy WAF=1) is CloudFront's, with
// AWS's common rule set and a per-address rate limit on /api/auth/*, and
// the distribution uses it.
func TestWaf(t *testing.T) {
	app := awscdk.NewApp(nil)
	waf, _ := NewWafStack(app, "RosterWaf", awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("us-east-1")}})
	b, _ := json.Marshal(assertions.Template_FromStack(waf, nil).ToJSON())
	tpl := string(b)
	for _, want := range []string{`"Scope":"CLOUDFRONT"`, `"Name":"AWSManagedRulesCommonRuleSet"`, `"AggregateKeyType":"IP"`,
		`"SearchString":"/api/auth/"`, `"PositionalConstraint":"STARTS_WITH"`, `"Block":{}`} {
		if !strings.Contains(tpl, want) {
			t.Errorf("web ACL lacks %s", want)
		}
	}
	s := synth(t, Props{WebACLArn: jsii.String("arn:aws:wafv2:us-east-1:111111111111:global/webacl/roster/abc")})
	for _, d := range s.ofType("AWS::CloudFront::Distribution") {
		if got := dig(d, "Properties", "DistributionConfig", "WebACLId"); got != "arn:aws:wafv2:us-east-1:111111111111:global/webacl/roster/abc" {
			t.Errorf("distribution web ACL: got %v", got)
		}
	}
}
