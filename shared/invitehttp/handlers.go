// Package invitehttp holds the handlers of the invitation endpoints and of
// the two functions fed by other events (expired invitations from the
// table's stream, SES events through SNS). The HTTP handlers authenticate,
// read their input, call the invitation service and encode the answer.
package invitehttp

import (
	"context"
	"net/http"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/invite"
)

// service is the invitation service.
func service(d app.Deps) *invite.Service {
	return invite.New(d.Store(), invite.ConfigFrom(d.Config))
}

// Create is POST /api/accounts/{accountId}/invitations: it invites an
// email and answers 201 with the invitation, its email queued (delivery
// "queued"; the mail sender makes it "sent", or "failed" with the reason);
// a retry with the same Idempotency-Key header answers the first
// result without a second invitation or email. Errors: 401, 404
// account_not_found, 403 from the grant rules, 400 for bad input, 413, 409
// invitation_pending or already_member, 422 idempotency_mismatch, 429 past
// the account's hourly cap.
func Create(d app.Deps) api.HandlerFunc { return newCreate(d.Authenticator(), service(d)) }

func newCreate(a *auth.Authenticator, svc *invite.Service) api.HandlerFunc {
	return a.OnAccount(func(ctx context.Context, req api.Request, actor domain.Actor, accountID string) (api.Response, error) {
		var in invite.CreateInput
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		c, err := svc.Create(ctx, actor, accountID, in, api.Header(req, "idempotency-key"))
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusCreated, c.View), nil
	})
}

// List is GET /api/accounts/{accountId}/invitations?cursor=: a page of the
// account's pending invitations {items, next}. Errors: 401, 404
// account_not_found, 403 without users.view, 400 invalid_cursor.
func List(d app.Deps) api.HandlerFunc { return newList(d.Authenticator(), service(d)) }

func newList(a *auth.Authenticator, svc *invite.Service) api.HandlerFunc {
	return a.OnAccount(func(ctx context.Context, req api.Request, actor domain.Actor, accountID string) (api.Response, error) {
		return api.OK(svc.List(ctx, actor, accountID, req.QueryStringParameters["cursor"]))
	})
}

// Update is PATCH /api/accounts/{accountId}/invitations/{id}: a pending
// invitation's names, role or permissions. Errors: 401, 404, 403 from the
// grant rules, 400, 413, 409 invitation_not_pending or stale_version (with
// the current invitation in error.current).
func Update(d app.Deps) api.HandlerFunc { return newUpdate(d.Authenticator(), service(d)) }

func newUpdate(a *auth.Authenticator, svc *invite.Service) api.HandlerFunc {
	return a.OnResource("id", func(ctx context.Context, req api.Request, actor domain.Actor, accountID, id string) (api.Response, error) {
		var in invite.EditInput
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		return api.OK(svc.Edit(ctx, actor, accountID, id, in))
	})
}

// Revoke is DELETE /api/accounts/{accountId}/invitations/{id}: the link
// stops working at once. It answers 204. Errors: 401, 404, 403 from the
// grant rules, 409 invitation_not_pending or stale_version.
func Revoke(d app.Deps) api.HandlerFunc { return newRevoke(d.Authenticator(), service(d)) }

func newRevoke(a *auth.Authenticator, svc *invite.Service) api.HandlerFunc {
	return a.OnResource("id", func(ctx context.Context, _ api.Request, actor domain.Actor, accountID, id string) (api.Response, error) {
		if err := svc.Revoke(ctx, actor, accountID, id); err != nil {
			return api.Response{}, err
		}
		return api.NoContent(), nil
	})
}

// Resend is POST /api/accounts/{accountId}/invitations/{id}/resend: a new
// link and validity window for a pending invitation (expired ones too).
// Errors: 401, 404, 403 from the grant rules, 409 invitation_not_pending or
// stale_version, 429 resend_too_soon, resend_limit or past the account's
// hourly cap.
func Resend(d app.Deps) api.HandlerFunc { return newResend(d.Authenticator(), service(d)) }

func newResend(a *auth.Authenticator, svc *invite.Service) api.HandlerFunc {
	return a.OnResource("id", func(ctx context.Context, _ api.Request, actor domain.Actor, accountID, id string) (api.Response, error) {
		return api.OK(svc.Resend(ctx, actor, accountID, id))
	})
}

// Preview is POST /api/invitations/preview {token}: what the link offers,
// without using it up and without sign-in. Errors: 404 invalid_token, 410
// invitation_expired naming whom to ask, 400, 413.
func Preview(d app.Deps) api.HandlerFunc { return newPreview(service(d)) }

func newPreview(svc *invite.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		var in api.TokenBody
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		return api.OK(svc.Preview(ctx, in.Token))
	}
}

// Accept is POST /api/invitations/accept {token}: the signed-in user, with
// the invited email, joins: 200 {accountId, accountName, role}. Errors: 401
// (sign in or register first), 403 email_unverified or email_mismatch
// naming the invited address, 404 invalid_token, 410 invitation_expired,
// 409 invitation_exceeds_inviter or already_member, 400, 413.
func Accept(d app.Deps) api.HandlerFunc { return newAccept(d.Authenticator(), service(d)) }

func newAccept(a *auth.Authenticator, svc *invite.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		sess, err := a.Verified(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		var in api.TokenBody
		if err := api.Decode(req, &in); err != nil {
			return api.Response{}, err
		}
		return api.OK(svc.Accept(ctx, auth.ActorOf(sess, domain.Membership{}, req), in.Token))
	}
}
