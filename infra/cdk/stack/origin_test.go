package stack

import (
	"slices"
	"strings"
	"testing"
)

// TestOriginSecret: CloudFront sends the API the origin secret and the
// viewer's address, and the API's functions hold the same secret: a
// request to the execute-api endpoint without it is refused
// (api.Options.OriginSecret), and only CloudFront's are trusted with the
// viewer's address. Both take the secret from Secrets Manager at
// deployment, never as plain text in the template.
func TestOriginSecret(t *testing.T) {
	s := defaultStack(t)
	ref := `{"Fn::Join":["",["{{resolve:secretsmanager:",{"Ref":"OriginSecret"},":SecretString:::}}"]]}`
	var header string
	for _, d := range s.ofType("AWS::CloudFront::Distribution") {
		for _, o := range dig(d, "Properties", "DistributionConfig", "Origins").([]any) {
			if dig(o, "CustomOriginConfig") == nil {
				continue
			}
			for _, h := range dig(o, "OriginCustomHeaders").([]any) {
				if dig(h, "HeaderName") == "X-Roster-Origin" {
					header = toJSON(dig(h, "HeaderValue"))
				}
			}
		}
	}
	if header != ref {
		t.Errorf("CloudFront's origin header: got %s, want %s", header, ref)
	}
	p := props(s.resources["ApiOriginRequests"])
	headers := strs(dig(p, "OriginRequestPolicyConfig", "HeadersConfig", "Headers"))
	if !slices.Contains(headers, "CloudFront-Viewer-Address") || slices.ContainsFunc(headers, func(h string) bool { return strings.EqualFold(h, "host") }) {
		t.Errorf("origin request headers: got %v, want the viewer's address and not Host", headers)
	}
	for _, id := range []string{"MemberGetFunction", "AuthLoginFunction", "TokenKeysFunction"} {
		if got := toJSON(dig(props(s.resources[id]), "Environment", "Variables", "ORIGIN_SECRET")); got != ref {
			t.Errorf("%s ORIGIN_SECRET: got %s", id, got)
		}
	}
	if env := dig(props(s.resources["MailSenderFunction"]), "Environment", "Variables", "ORIGIN_SECRET"); env != nil {
		t.Errorf("a function without routes holds the origin secret: %s", toJSON(env))
	}
}
