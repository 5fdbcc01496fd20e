// Package hostexample is an example for the host product's teams: an API
// Gateway HTTP API whose routes trust Roster's access tokens through API
// Gateway's own JWT authorizer, so that a backend behind it gets only
// requests with a valid token of Roster's issuer for its audience, and
// reads the member's account, role and permissions from the claims
// (requestContext.authorizer.jwt.claims). API Gateway finds the keys from
// Roster's /.well-known/openid-configuration. The backend still checks the
// account in the path and the permission (shared/hostauth.Claims.Can, or
// the claims' permissions), as a JWT authorizer checks only scopes.
package hostexample

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Props configure the example API.
type Props struct {
	// RosterIssuer is Roster's origin (its SITE_URL, https), the tokens' iss.
	RosterIssuer string
	// Audience is Roster's TOKEN_AUDIENCE for this service.
	Audience string
	// Backend serves the routes.
	Backend awslambda.IFunction
	// Routes are the paths the backend serves, for example
	// "/accounts/{accountId}/invoices".
	Routes []string
}

// NewHostAPI defines the HTTP API with every route behind Roster's tokens.
func NewHostAPI(scope constructs.Construct, id string, p Props) awsapigatewayv2.HttpApi {
	authorizer := awsapigatewayv2authorizers.NewHttpJwtAuthorizer(jsii.String("Roster"), jsii.String(p.RosterIssuer),
		&awsapigatewayv2authorizers.HttpJwtAuthorizerProps{
			AuthorizerName: jsii.String("roster"),
			JwtAudience:    jsii.Strings(p.Audience),
			IdentitySource: jsii.Strings("$request.header.Authorization"),
		})
	api := awsapigatewayv2.NewHttpApi(scope, jsii.String(id), &awsapigatewayv2.HttpApiProps{
		DefaultAuthorizer: authorizer,
	})
	integration := awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String(id+"Backend"), p.Backend, nil)
	for _, path := range p.Routes {
		api.AddRoutes(&awsapigatewayv2.AddRoutesOptions{Path: jsii.String(path), Integration: integration,
			Methods: &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_ANY}})
	}
	return api
}
