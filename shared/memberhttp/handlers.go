// Package memberhttp holds the handlers of the member endpoints. Each
// authenticates the request as a member of the account in its path (401,
// 404 account_not_found, 403 member_deactivated), reads its input, calls
// the members service and encodes the answer.
package memberhttp

import (
	"context"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/members"
)

func service(d app.Deps) *members.Service { return members.NewService(d.Store(), d.Catalog) }

// List is GET /api/accounts/{accountId}/members?status=&q=&cursor=&limit=:
// the account's members by status (active by default, or deactivated) in
// name order, paged, or those matching a prefix search of names and email.
// It needs users.view; the page size is 50 by default, at most 100.
func List(d app.Deps) api.HandlerFunc { return newList(d.Authenticator(), service(d)) }

func newList(a *auth.Authenticator, svc *members.Service) api.HandlerFunc {
	return a.OnAccount(func(ctx context.Context, req api.Request, actor domain.Actor, accountID string) (api.Response, error) {
		q, err := listQueryOf(req)
		if err != nil {
			return api.Response{}, err
		}
		return api.OK(svc.List(ctx, actor, accountID, q))
	})
}

// Get is GET /api/accounts/{accountId}/members/{userId}: one member. It
// needs users.view, except for the member themself.
func Get(d app.Deps) api.HandlerFunc { return newGet(d.Authenticator(), service(d)) }

func newGet(a *auth.Authenticator, svc *members.Service) api.HandlerFunc {
	return a.OnResource("userId", func(ctx context.Context, _ api.Request, actor domain.Actor, accountID, userID string) (api.Response, error) {
		return api.OK(svc.Get(ctx, actor, accountID, userID))
	})
}

// Update is PATCH /api/accounts/{accountId}/members/{userId} {version,
// role?, permissions?, firstName?, lastName?}: the grant rules apply, and a
// stale version is 409 stale_version with the current member.
func Update(d app.Deps) api.HandlerFunc { return newUpdate(d.Authenticator(), service(d)) }

func newUpdate(a *auth.Authenticator, svc *members.Service) api.HandlerFunc {
	return a.OnResource("userId", func(ctx context.Context, req api.Request, actor domain.Actor, accountID, userID string) (api.Response, error) {
		var e members.Edit
		if err := api.Decode(req, &e); err != nil {
			return api.Response{}, err
		}
		return api.OK(svc.Update(ctx, actor, accountID, userID, e))
	})
}

// Deactivate is POST .../members/{userId}/deactivate {version, projectsTo?}:
// the member keeps role and permissions and is refused from their next
// request on; the projects they own go to projectsTo (409 owns_projects,
// naming them, without it).
func Deactivate(d app.Deps) api.HandlerFunc {
	return newSetStatus(d.Authenticator(), service(d), false)
}

// Reactivate is POST .../members/{userId}/reactivate {version}: the member
// gets their access back as it was.
func Reactivate(d app.Deps) api.HandlerFunc { return newSetStatus(d.Authenticator(), service(d), true) }

func newSetStatus(a *auth.Authenticator, svc *members.Service, active bool) api.HandlerFunc {
	return a.OnResource("userId", func(ctx context.Context, req api.Request, actor domain.Actor, accountID, userID string) (api.Response, error) {
		version, projectsTo, err := exitOf(req)
		if err != nil {
			return api.Response{}, err
		}
		return api.OK(svc.SetStatus(ctx, actor, accountID, userID, version, active, projectsTo))
	})
}

// Remove is DELETE /api/accounts/{accountId}/members/{userId}, the version
// and projectsTo as ?version=&projectsTo= or in the body {version,
// projectsTo}: the member's access to the account and their project
// assignments end, the projects they own go to projectsTo (409
// owns_projects without it); their login and other accounts are untouched.
// It answers 204.
func Remove(d app.Deps) api.HandlerFunc { return newRemove(d.Authenticator(), service(d)) }

func newRemove(a *auth.Authenticator, svc *members.Service) api.HandlerFunc {
	return a.OnResource("userId", func(ctx context.Context, req api.Request, actor domain.Actor, accountID, userID string) (api.Response, error) {
		version, projectsTo, err := exitOf(req)
		if err != nil {
			return api.Response{}, err
		}
		if err := svc.Remove(ctx, actor, accountID, userID, version, projectsTo); err != nil {
			return api.Response{}, err
		}
		return api.NoContent(), nil
	})
}

// Ownership is POST /api/accounts/{accountId}/ownership {userId, password,
// version}: the owner hands the account over to an active admin,
// confirming with their password. It answers the new owner.
func Ownership(d app.Deps) api.HandlerFunc { return newOwnership(d.Authenticator(), service(d)) }

func newOwnership(a *auth.Authenticator, svc *members.Service) api.HandlerFunc {
	return a.OnAccount(func(ctx context.Context, req api.Request, actor domain.Actor, accountID string) (api.Response, error) {
		var b members.HandOver
		if err := api.Decode(req, &b); err != nil {
			return api.Response{}, err
		}
		return api.OK(svc.TransferOwnership(ctx, actor, accountID, b))
	})
}

// Transfer is POST /api/accounts/{accountId}/members/{userId}/transfer
// {version, toAccountId, role, permissions}: the member moves to another
// account where the actor manages users too, with the projects they own.
// It answers the member's new membership in the destination; 404
// account_not_found for a destination the actor is not a member of.
func Transfer(d app.Deps) api.HandlerFunc { return newTransfer(d.Authenticator(), service(d)) }

func newTransfer(a *auth.Authenticator, svc *members.Service) api.HandlerFunc {
	return a.OnResource("userId", func(ctx context.Context, req api.Request, actor domain.Actor, accountID, userID string) (api.Response, error) {
		var in members.TransferInput
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		if in.ToAccountID == "" {
			return api.Response{}, domain.CodeSameAccount.Field("toAccountId", "Choose the account to transfer the member to.")
		}
		dest, _, err := a.Member(ctx, req, in.ToAccountID)
		if err != nil {
			return api.Response{}, err
		}
		return api.OK(svc.Transfer(ctx, actor, dest, accountID, userID, in))
	})
}
