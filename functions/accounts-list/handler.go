package main

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"roster/shared/api"
	"roster/shared/domain"
)

// Authenticator authenticates the request.
type Authenticator interface {
	Verified(ctx context.Context, req api.Request) (domain.Session, error)
}

// Store lists the user's memberships and the accounts' current names.
type Store interface {
	AccountsOfUser(ctx context.Context, userID string) ([]domain.Membership, error)
	AccountNames(ctx context.Context, ids []string) (map[string]string, error)
}

// Handler answers GET /api/accounts.
type Handler struct {
	auth  Authenticator
	store Store
}

// NewHandler returns the handler.
func NewHandler(a Authenticator, s Store) *Handler { return &Handler{auth: a, store: s} }

// Item is one account in the list.
type Item struct {
	ID     string              `json:"id"`
	Name   string              `json:"name"`
	Role   domain.Role         `json:"role"`
	Status domain.MemberStatus `json:"status"`
}

// Handle lists the accounts the signed-in user belongs to, with the role
// and status of their membership in each, by name: one session read, one
// GSI1 query, and one BatchGetItem for the accounts' current names (a rename
// changes only the account item). It answers 200 {items}, 401/403 without a
// verified session.
func (h *Handler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	sess, err := h.auth.Verified(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	ms, err := h.store.AccountsOfUser(ctx, sess.UserID)
	if err != nil {
		return api.Response{}, err
	}
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.AccountID)
	}
	names, err := h.store.AccountNames(ctx, ids)
	if err != nil {
		return api.Response{}, err
	}
	items := make([]Item, 0, len(ms))
	for _, m := range ms {
		name := m.AccountName
		if n, ok := names[m.AccountID]; ok {
			name = n
		}
		items = append(items, Item{ID: m.AccountID, Name: name, Role: m.Role, Status: m.Status})
	}
	slices.SortFunc(items, func(a, b Item) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return api.JSON(http.StatusOK, map[string]any{"items": items}), nil
}
