// Package accounthttp holds the handlers of the account endpoints: each
// authenticates, decodes, calls the accounts service and encodes.
package accounthttp

import (
	"context"
	"net/http"

	"roster/shared/accounts"
	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
)

// Create is the accounts-create function's handler, POST /api/accounts:
// an account owned by the signed-in, verified user. It answers 201 {id,
// name, role}, 400 invalid_name, 401/403 without a verified session.
func Create(d app.Deps) api.HandlerFunc {
	return newCreate(d.Authenticator(), accounts.NewService(d.Store()))
}

func newCreate(a *auth.Authenticator, svc *accounts.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		sess, err := a.Verified(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		var in accounts.Creation
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		acct, err := svc.Create(ctx, auth.ActorOf(sess, domain.Membership{}, req), in.Name)
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusCreated, acct), nil
	}
}

// List is the accounts-list function's handler, GET /api/accounts: the
// signed-in user's accounts with their role and status in each. It answers
// 200 {items}, 401/403 without a verified session.
func List(d app.Deps) api.HandlerFunc {
	return newList(d.Authenticator(), accounts.NewService(d.Store()))
}

func newList(a *auth.Authenticator, svc *accounts.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		sess, err := a.Verified(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		items, err := svc.List(ctx, sess.UserID)
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusOK, accounts.SummaryList{Items: items}), nil
	}
}

// Get is the account-get function's handler, GET /api/accounts/{accountId}:
// the account (name, owner, version) for any active member. It answers
// 200; 401; 403 member_deactivated; 404 account_not_found.
func Get(d app.Deps) api.HandlerFunc {
	return newGet(d.Authenticator(), accounts.NewService(d.Store()))
}

func newGet(a *auth.Authenticator, svc *accounts.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		actor, accountID, err := a.Account(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		return api.OK(svc.Get(ctx, actor, accountID))
	}
}

// Rename is the account-update function's handler, PATCH
// /api/accounts/{accountId} with {name, version}. It answers 200 with the
// account; 400 invalid_name or missing_version; 401; 403
// missing_permission; 404 account_not_found; 409 stale_version with the
// current account.
func Rename(d app.Deps) api.HandlerFunc {
	return newRename(d.Authenticator(), accounts.NewService(d.Store()))
}

func newRename(a *auth.Authenticator, svc *accounts.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		actor, accountID, err := a.Account(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		var in accounts.Rename
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		acct, err := svc.Rename(ctx, actor, accountID, in)
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusOK, acct), nil
	}
}
