package accounthttp

import (
	"context"
	"errors"
	"net/http"
	"time"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/domain"
	"roster/shared/store"
)

// renameAuthenticator turns the request into an actor of the account named in
// its path.
type renameAuthenticator interface {
	Account(ctx context.Context, req api.Request) (domain.Actor, string, error)
}

// renameStore renames accounts.
type renameStore interface {
	GetAccount(ctx context.Context, accountID string) (domain.Account, error)
	RenameAccount(ctx context.Context, a domain.Account, name string, ev domain.AuditEvent) (domain.Account, error)
}

// renameHandler answers PATCH /api/accounts/{accountId}.
type renameHandler struct {
	auth  renameAuthenticator
	store renameStore
	now   func() time.Time
}

// newRenameHandler returns the handler.
func newRenameHandler(a renameAuthenticator, s renameStore) *renameHandler {
	return &renameHandler{auth: a, store: s, now: time.Now}
}

type renameInput struct {
	Name    string `json:"name"`
	Version *int64 `json:"version"`
}

// Handle renames the account: the owner, or a member holding users.manage
// (Account administration: manage), may. The body is {name, version}. The
// rename and its account.renamed event are one transaction. It answers 200
// with the account; 400 invalid_name or missing_version; 401; 403
// missing_permission; 404 account_not_found; 409 stale_version with the
// current account.
func (h *renameHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	actor, accountID, err := h.auth.Account(ctx, req)
	if err != nil {
		return api.Response{}, err
	}
	var in renameInput
	if err := api.Decode(req, &in); err != nil {
		return api.Response{}, err
	}
	name, err := domain.NormalizeName(in.Name, "name", false)
	if err != nil {
		return api.Response{}, err
	}
	if in.Version == nil {
		return api.Response{}, domain.CodeMissingVersion.Field("version", "Send the version of the account you edited.")
	}
	if !actor.Can(domain.PermUsersManage) {
		return api.Response{}, domain.CodeMissingPermission.Msg("You need the Account administration: manage permission to rename the account.")
	}
	current, err := h.store.GetAccount(ctx, accountID)
	if err != nil {
		return api.Response{}, err
	}
	if current.Version != *in.Version {
		return api.Response{}, staleAccount(current)
	}
	if current.Name == name {
		return api.JSON(http.StatusOK, current), nil
	}
	ev := domain.AccountRenamed(actor, accountID, current.Name, name, h.now().UTC())
	a, err := h.store.RenameAccount(ctx, current, name, ev)
	if errors.Is(err, store.ErrConflict) {
		// Renamed by someone else since it was read just now.
		latest, gerr := h.store.GetAccount(ctx, accountID)
		if gerr != nil {
			return api.Response{}, gerr
		}
		return api.Response{}, staleAccount(latest)
	}
	if err != nil {
		return api.Response{}, err
	}
	return api.JSON(http.StatusOK, a), nil
}

// staleAccount is the 409 of an edit made on an old version, with the
// account as it is now.
func staleAccount(current domain.Account) error {
	return &domain.Error{Kind: domain.CodeStaleVersion.Kind, Code: domain.CodeStaleVersion.Name, Message: "Someone else changed this account; reload and try again.", Current: current}
}

// Rename is the account-update function's handler.
func Rename(d app.Deps) api.HandlerFunc { return newRenameHandler(d.Authenticator(), d.Store()).Handle }
