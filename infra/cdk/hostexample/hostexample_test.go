package hostexample

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
)

// TestHostAPI: the example's routes are behind a JWT authorizer that
// trusts Roster's issuer for the service's audience, reading the bearer
// token.
func TestHostAPI(t *testing.T) {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Billing"), nil)
	backend := awslambda.NewFunction(stack, jsii.String("Backend"), &awslambda.FunctionProps{
		Runtime: awslambda.Runtime_NODEJS_22_X(), Handler: jsii.String("index.handler"),
		Code: awslambda.Code_FromInline(jsii.String("exports.handler = async () => ({ statusCode: 200 })")),
	})
	NewHostAPI(stack, "BillingApi", Props{RosterIssuer: "https://roster.example.com", Audience: "billing", Backend: backend,
		Routes: []string{"/accounts/{accountId}/invoices"}})
	tpl := assertions.Template_FromStack(stack, nil)
	tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), map[string]any{
		"AuthorizerType": "JWT",
		"IdentitySource": []any{"$request.header.Authorization"},
		"JwtConfiguration": map[string]any{
			"Issuer":   "https://roster.example.com",
			"Audience": []any{"billing"},
		},
	})
	routes := tpl.FindResources(jsii.String("AWS::ApiGatewayV2::Route"), nil)
	if len(*routes) != 1 {
		t.Fatalf("routes: got %d, want 1", len(*routes))
	}
	for _, r := range *routes {
		b, _ := json.Marshal(r)
		var route struct{ Properties map[string]any }
		_ = json.Unmarshal(b, &route)
		if route.Properties["AuthorizationType"] != "JWT" || route.Properties["RouteKey"] != "ANY /accounts/{accountId}/invoices" {
			t.Errorf("route: got %s, want ANY behind the JWT authorizer", b)
		}
	}
}
