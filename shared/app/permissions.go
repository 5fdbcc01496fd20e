package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"roster/shared/api"
	"roster/shared/auth"
	"roster/shared/domain"
)

// documentHandler answers with a JSON document that only changes with a
// deployment (the permission catalog, the password policy), so it carries
// an ETag and may be cached briefly.
type documentHandler struct {
	body string
	etag string
}

// newDocumentHandler returns a handler serving the document.
func newDocumentHandler(doc []byte) *documentHandler {
	sum := sha256.Sum256(doc)
	return &documentHandler{
		body: string(doc),
		etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
	}
}

// Handle returns the document, or 304 when the client's If-None-Match
// names the current version.
func (h *documentHandler) Handle(_ context.Context, req api.Request) (api.Response, error) {
	headers := map[string]string{
		"Content-Type":  "application/json",
		"Cache-Control": "private, max-age=300",
		"ETag":          h.etag,
	}
	for _, tag := range strings.Split(api.Header(req, "if-none-match"), ",") {
		if strings.TrimSpace(tag) == h.etag {
			return api.Response{StatusCode: http.StatusNotModified, Headers: headers}, nil
		}
	}
	return api.Response{StatusCode: http.StatusOK, Headers: headers, Body: h.body}, nil
}

// Permissions is the permissions function's handler: GET /api/permissions
// answers the catalog of shared/domain/permissions.json.
func Permissions(d Deps) api.HandlerFunc { return newDocumentHandler(domain.CatalogJSON()).Handle }

// PasswordPolicy is the password-policy function's handler: GET
// /api/auth/password-policy answers the rules every password form states.
func PasswordPolicy(d Deps) api.HandlerFunc {
	doc, err := json.Marshal(auth.Policy())
	if err != nil {
		panic("password policy: " + err.Error())
	}
	return newDocumentHandler(doc).Handle
}
