// Package projecthttp holds the handlers of the project endpoints. Each
// authenticates the request as a member of the account in its path (401,
// 404 account_not_found, 403 member_deactivated), reads its input, calls
// the projects service and encodes the answer.
package projecthttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/projects"
)

func service(d app.Deps) *projects.Service { return projects.NewService(d.Store()) }

// List is GET /api/accounts/{accountId}/projects?q=&cursor=: a page of the
// account's projects in name order, or those whose name starts with q. It
// needs projects.view.
func List(d app.Deps) api.HandlerFunc { return newList(d.Authenticator(), service(d)) }

func newList(a *auth.Authenticator, svc *projects.Service) api.HandlerFunc {
	return a.OnAccount(func(ctx context.Context, req api.Request, actor domain.Actor, accountID string) (api.Response, error) {
		q := req.QueryStringParameters
		return api.OK(svc.List(ctx, actor, accountID, q["q"], q["cursor"]))
	})
}

// Create is POST /api/accounts/{accountId}/projects {name, ownerId}: a
// project owned by an active member. It answers 201; 400 invalid_name or
// invalid_owner; 403 without projects.manage.
func Create(d app.Deps) api.HandlerFunc { return newCreate(d.Authenticator(), service(d)) }

func newCreate(a *auth.Authenticator, svc *projects.Service) api.HandlerFunc {
	return a.OnAccount(func(ctx context.Context, req api.Request, actor domain.Actor, accountID string) (api.Response, error) {
		var in projects.Creation
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		p, err := svc.Create(ctx, actor, accountID, in)
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusCreated, p), nil
	})
}

// Get is GET /api/accounts/{accountId}/projects/{projectId}. It needs
// projects.view; 404 project_not_found.
func Get(d app.Deps) api.HandlerFunc { return newGet(d.Authenticator(), service(d)) }

func newGet(a *auth.Authenticator, svc *projects.Service) api.HandlerFunc {
	return a.OnResource("projectId", func(ctx context.Context, _ api.Request, actor domain.Actor, accountID, projectID string) (api.Response, error) {
		return api.OK(svc.Get(ctx, actor, accountID, projectID))
	})
}

// Update is PATCH /api/accounts/{accountId}/projects/{projectId} {version,
// name?, ownerId?}: a rename, a new owner, or both. 409 stale_version with
// the current project.
func Update(d app.Deps) api.HandlerFunc { return newUpdate(d.Authenticator(), service(d)) }

func newUpdate(a *auth.Authenticator, svc *projects.Service) api.HandlerFunc {
	return a.OnResource("projectId", func(ctx context.Context, req api.Request, actor domain.Actor, accountID, projectID string) (api.Response, error) {
		var in projects.Edit
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		return api.OK(svc.Update(ctx, actor, accountID, projectID, in))
	})
}

// Delete is DELETE /api/accounts/{accountId}/projects/{projectId}?version=:
// the project, and every assignment to it, end. It answers 204; 409
// stale_version or project_too_large.
func Delete(d app.Deps) api.HandlerFunc { return newDelete(d.Authenticator(), service(d)) }

func newDelete(a *auth.Authenticator, svc *projects.Service) api.HandlerFunc {
	return a.OnResource("projectId", func(ctx context.Context, req api.Request, actor domain.Actor, accountID, projectID string) (api.Response, error) {
		version, err := api.Version(req)
		if err != nil {
			return api.Response{}, err
		}
		if err := svc.Delete(ctx, actor, accountID, projectID, version); err != nil {
			return api.Response{}, err
		}
		return api.NoContent(), nil
	})
}

// Members is GET /api/accounts/{accountId}/projects/{projectId}/members?cursor=:
// a page of the project's members, the owner marked.
func Members(d app.Deps) api.HandlerFunc { return newMembers(d.Authenticator(), service(d)) }

func newMembers(a *auth.Authenticator, svc *projects.Service) api.HandlerFunc {
	return a.OnResource("projectId", func(ctx context.Context, req api.Request, actor domain.Actor, accountID, projectID string) (api.Response, error) {
		return api.OK(svc.Members(ctx, actor, accountID, projectID, req.QueryStringParameters["cursor"]))
	})
}

// onAssignment is a handler of a request on one member of one project.
func onAssignment(a *auth.Authenticator, fn func(ctx context.Context, actor domain.Actor, accountID, projectID, userID string) (api.Response, error)) api.HandlerFunc {
	return a.OnResource("projectId", func(ctx context.Context, req api.Request, actor domain.Actor, accountID, projectID string) (api.Response, error) {
		userID, err := api.PathParam(req, "userId")
		if err != nil {
			return api.Response{}, err
		}
		return fn(ctx, actor, accountID, projectID, userID)
	})
}

// AddMember is PUT /api/accounts/{accountId}/projects/{projectId}/members/{userId}:
// the member is assigned (already assigned is 200 too). 403
// member_not_active for a member who is not active.
func AddMember(d app.Deps) api.HandlerFunc { return newAddMember(d.Authenticator(), service(d)) }

func newAddMember(a *auth.Authenticator, svc *projects.Service) api.HandlerFunc {
	return onAssignment(a, func(ctx context.Context, actor domain.Actor, accountID, projectID, userID string) (api.Response, error) {
		return api.OK(svc.AddMember(ctx, actor, accountID, projectID, userID))
	})
}

// RemoveMember is DELETE /api/accounts/{accountId}/projects/{projectId}/members/{userId}:
// the assignment ends (not assigned is 204 too). 409 project_owner for the
// project's owner.
func RemoveMember(d app.Deps) api.HandlerFunc { return newRemoveMember(d.Authenticator(), service(d)) }

func newRemoveMember(a *auth.Authenticator, svc *projects.Service) api.HandlerFunc {
	return onAssignment(a, func(ctx context.Context, actor domain.Actor, accountID, projectID, userID string) (api.Response, error) {
		if err := svc.RemoveMember(ctx, actor, accountID, projectID, userID); err != nil {
			return api.Response{}, err
		}
		return api.NoContent(), nil
	})
}

// MemberProjects is GET /api/accounts/{accountId}/members/{userId}/projects?cursor=:
// a page of the member's projects with whether they own each. It needs
// projects.view, except for the member themself.
func MemberProjects(d app.Deps) api.HandlerFunc {
	return newMemberProjects(d.Authenticator(), service(d))
}

func newMemberProjects(a *auth.Authenticator, svc *projects.Service) api.HandlerFunc {
	return a.OnResource("userId", func(ctx context.Context, req api.Request, actor domain.Actor, accountID, userID string) (api.Response, error) {
		return api.OK(svc.MemberProjects(ctx, actor, accountID, userID, req.QueryStringParameters["cursor"]))
	})
}
