package main

import (
	"context"

	"roster/shared/api"
	"roster/shared/auth"
)

// Authenticator reads the session cookie.
type Authenticator interface {
	SessionToken(req api.Request) (userID, hash string, err error)
	Secure() bool
}

// Store deletes sessions.
type Store interface {
	DeleteSession(ctx context.Context, hash string) error
}

// Handler answers POST /api/auth/logout.
type Handler struct {
	auth  Authenticator
	store Store
}

// NewHandler returns the handler.
func NewHandler(a Authenticator, s Store) *Handler { return &Handler{auth: a, store: s} }

// Handle deletes the request's session, so that its cookie stops working
// at once even if a copy survives, and clears the cookie. It answers 204
// also without a (valid) session: signing out is always possible. A store
// failure is returned as it is.
func (h *Handler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	if _, hash, err := h.auth.SessionToken(req); err == nil {
		if err := h.store.DeleteSession(ctx, hash); err != nil {
			return api.Response{}, err
		}
	}
	resp := api.NoContent()
	api.SetCookie(&resp, auth.ClearedCookie(h.auth.Secure()))
	return resp, nil
}
