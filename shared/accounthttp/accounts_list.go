package accounthttp

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/domain"
)

// listAuthenticator authenticates the request.
type listAuthenticator interface {
	Verified(ctx context.Context, req api.Request) (domain.Session, error)
}

// listStore lists the user's memberships and the accounts' current names.
type listStore interface {
	AccountsOfUser(ctx context.Context, userID string) ([]domain.Membership, error)
	AccountNames(ctx context.Context, ids []string) (map[string]string, error)
}

// listHandler answers GET /api/accounts.
type listHandler struct {
	auth  listAuthenticator
	store listStore
}

// newListHandler returns the handler.
func newListHandler(a listAuthenticator, s listStore) *listHandler {
	return &listHandler{auth: a, store: s}
}

// listItem is one account in the list.
type listItem struct {
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
func (h *listHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
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
	items := make([]listItem, 0, len(ms))
	for _, m := range ms {
		name := m.AccountName
		if n, ok := names[m.AccountID]; ok {
			name = n
		}
		items = append(items, listItem{ID: m.AccountID, Name: name, Role: m.Role, Status: m.Status})
	}
	slices.SortFunc(items, func(a, b listItem) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return api.JSON(http.StatusOK, map[string]any{"items": items}), nil
}

// List is the accounts-list function's handler.
func List(d app.Deps) api.HandlerFunc { return newListHandler(d.Authenticator(), d.Store()).Handle }
