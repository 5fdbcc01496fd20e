package main

import (
	"context"
	"errors"
	"net/http"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/store"
)

// Authenticator authenticates the request.
type Authenticator interface {
	Session(ctx context.Context, req api.Request) (domain.Session, error)
}

// Store reads the user.
type Store interface {
	GetUser(ctx context.Context, userID string) (domain.User, error)
}

// Handler answers GET /api/me.
type Handler struct {
	auth  Authenticator
	store Store
}

// NewHandler returns the handler.
func NewHandler(a Authenticator, s Store) *Handler { return &Handler{auth: a, store: s} }

// Handle returns the signed-in user's profile. An unverified user may read
// it (the site shows what is left to do). It answers 200, or 401
// unauthenticated without a valid session.
func (h *Handler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	sess, err := h.auth.Session(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	u, err := h.store.GetUser(ctx, sess.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return api.Response{}, domain.Coded(domain.EUnauthenticated, "unauthenticated", "Please sign in.")
	}
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, u.Profile()), nil
}
