package stack

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// TestNag runs cdk-nag's AwsSolutions and Serverless packs on the
// synthesized stack: no error or warning may be left unsuppressed, and
// every suppression sits on its resource with its reason (NagSuppressions
// in the stack's code).
func TestNag(t *testing.T) {
	_, s := synthWith(t, Props{}, func(s awscdk.Stack) {
		awscdk.Aspects_Of(s).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
		awscdk.Aspects_Of(s).Add(cdknag.NewServerlessChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	})
	a := assertions.Annotations_FromStack(s)
	var findings []string
	for _, level := range []string{"error", "warning"} {
		all := a.FindError(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(".*")))
		if level == "warning" {
			all = a.FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(".*")))
		}
		for _, m := range *all {
			findings = append(findings, fmt.Sprintf("%s %s: %v", level, *m.Id, m.Entry.Data))
		}
	}
	sort.Strings(findings)
	if len(findings) > 0 {
		t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(findings), strings.Join(findings, "\n"))
	}
}
