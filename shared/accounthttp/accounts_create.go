package accounthttp

import (
	"context"
	"net/http"
	"time"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/store"
)

// createAuthenticator authenticates the request.
type createAuthenticator interface {
	Verified(ctx context.Context, req api.Request) (domain.Session, error)
}

// createStore reads the user and writes the account.
type createStore interface {
	GetUser(ctx context.Context, userID string) (domain.User, error)
	CreateAccount(ctx context.Context, a domain.Account, owner domain.Membership, ev domain.AuditEvent) error
}

// createHandler answers POST /api/accounts.
type createHandler struct {
	auth  createAuthenticator
	store createStore
	now   func() time.Time
}

// newCreateHandler returns the handler.
func newCreateHandler(a createAuthenticator, s createStore) *createHandler {
	return &createHandler{auth: a, store: s, now: time.Now}
}

type createInput struct {
	Name string `json:"name"`
}

// Handle creates an account whose owner is the signed-in (verified) user:
// the account, the owner's membership and the account.created event in one
// transaction. It answers 201 {id, name, role}, 400 invalid_name, 401/403
// without a verified session.
func (h *createHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	sess, err := h.auth.Verified(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	var in createInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	name, err := domain.NormalizeName(in.Name, "name", false)
	if err != nil {
		return api.Response{}, err
	}
	u, err := h.store.GetUser(ctx, sess.UserID)
	if err != nil {
		return api.Response{}, err
	}
	now := h.now().UTC()
	a := domain.Account{ID: store.NewID(), Name: name, OwnerID: u.ID, CreatedAt: now}
	owner := domain.Membership{
		AccountID: a.ID, AccountName: name, UserID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		Role: domain.RoleOwner, Permissions: domain.PermissionSet{All: true}, Status: domain.StatusActive,
		JoinedAt: now, LastActiveAt: now, LastLoginAt: u.LastLoginAt,
	}
	ev := domain.AccountCreated(auth.ActorOf(sess, owner, req), a.ID, name, now)
	if err := h.store.CreateAccount(ctx, a, owner, ev); err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusCreated, map[string]string{"id": a.ID, "name": a.Name, "role": string(domain.RoleOwner)}), nil
}

// Create is the accounts-create function's handler.
func Create(d app.Deps) api.HandlerFunc { return newCreateHandler(d.Authenticator(), d.Store()).Handle }
