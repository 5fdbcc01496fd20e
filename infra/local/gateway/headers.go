package gateway

import "net/http"

// SecurityHeaders are set on every response the gateway sends, site and API
// alike. The CDK stack's CloudFront response headers policy mirrors them, so
// the local product and the deployed one answer with the same headers.
var SecurityHeaders = map[string]string{
	"Content-Security-Policy":    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
	"Strict-Transport-Security":  "max-age=63072000; includeSubDomains",
	"X-Content-Type-Options":     "nosniff",
	"Referrer-Policy":            "no-referrer",
	"X-Frame-Options":            "DENY",
	"Permissions-Policy":         "camera=(), microphone=(), geolocation=()",
	"Cross-Origin-Opener-Policy": "same-origin",
}

// DocsPath is where the site serves the API reference.
const DocsPath = "/api-docs"

// DocsContentSecurityPolicy is the API reference's policy: the site's, but
// Redoc sets inline styles and data: fonts. Scripts stay 'self' only.
const DocsContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// SetSecurityHeaders sets SecurityHeaders on h, replacing any value a
// function chose (as a CloudFront policy with override does).
func SetSecurityHeaders(h http.Header) {
	for k, vs := range securityHeaderValues {
		h[k] = vs
	}
}

// securityHeaderValues is SecurityHeaders as header values, made once: the
// API path sets them on every answer. The slices are full, so a later Add
// copies rather than writes into them.
var securityHeaderValues = func() map[string][]string {
	m := make(map[string][]string, len(SecurityHeaders))
	for k, v := range SecurityHeaders {
		m[http.CanonicalHeaderKey(k)] = []string{v}[:1:1]
	}
	return m
}()
