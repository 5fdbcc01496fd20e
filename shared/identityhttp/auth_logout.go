package identityhttp

import (
	"context"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
)

// logoutAuthenticator reads the session cookie.
type logoutAuthenticator interface {
	SessionToken(req api.Request) (userID, hash string, err error)
	Secure() bool
}

// logoutStore deletes sessions.
type logoutStore interface {
	DeleteSession(ctx context.Context, hash string) error
}

// logoutHandler answers POST /api/auth/logout.
type logoutHandler struct {
	auth  logoutAuthenticator
	store logoutStore
}

// newLogoutHandler returns the handler.
func newLogoutHandler(a logoutAuthenticator, s logoutStore) *logoutHandler {
	return &logoutHandler{auth: a, store: s}
}

// Handle deletes the request's session, so that its cookie stops working
// at once even if a copy survives, and clears the cookie. It answers 204
// also without a (valid) session: signing out is always possible. A store
// failure is returned as it is.
func (h *logoutHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	if _, hash, err := h.auth.SessionToken(req); err == nil {
		if err := h.store.DeleteSession(ctx, hash); err != nil {
			return api.Response{}, err
		}
	}
	resp := api.NoContent()
	api.SetCookie(&resp, auth.ClearedCookie(h.auth.Secure()))
	return resp, nil
}

// Logout is the auth-logout function's handler.
func Logout(d app.Deps) api.HandlerFunc { return newLogoutHandler(d.Authenticator(), d.Store()).Handle }
