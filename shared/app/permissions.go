package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"roster/shared/api"
	"roster/shared/domain"
)

// permissionsHandler answers GET /api/permissions with the catalog document as shipped
// in shared/domain/permissions.json. The document only changes with a
// deployment, so it carries an ETag and may be cached briefly.
type permissionsHandler struct {
	body string
	etag string
}

// newPermissionsHandler returns a handler serving the catalog document.
func newPermissionsHandler(catalog []byte) *permissionsHandler {
	sum := sha256.Sum256(catalog)
	return &permissionsHandler{
		body: string(catalog),
		etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
	}
}

// Handle returns the catalog, or 304 when the client's If-None-Match names
// the current version.
func (h *permissionsHandler) Handle(_ context.Context, req api.Request) (api.Response, error) {
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

// Permissions is the permissions function's handler.
func Permissions(d Deps) api.HandlerFunc { return newPermissionsHandler(domain.CatalogJSON()).Handle }
