// Package historyhttp holds the handlers of the history endpoints: each
// authenticates, reads the query string into the history service's typed
// input, and encodes the answer. Both only read: their authenticator does
// not even refresh lastActiveAt.
package historyhttp

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/history"
)

// List is the history-list function's handler, GET
// /api/accounts/{accountId}/history?member=&period=&action=&limit=&cursor=.
// Errors: 401 without a session; 404 account_not_found for an account the
// user is not a member of, member_not_found; 403 missing_permission; 400
// invalid_period, invalid_action, invalid_limit, invalid_member,
// invalid_cursor.
func List(d app.Deps) api.HandlerFunc {
	return newList(readOnlyAuth(d), history.NewService(d.Store(), d.Catalog))
}

func newList(a *auth.Authenticator, svc *history.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		actor, accountID, err := a.Account(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		q := req.QueryStringParameters
		p, err := history.ParseParams(q)
		if err != nil {
			return api.Response{}, err
		}
		limit, err := history.ParseLimit(q["limit"])
		if err != nil {
			return api.Response{}, err
		}
		page, err := svc.List(ctx, actor, accountID, history.ListInput{Params: p, Limit: limit, Cursor: q["cursor"]})
		if err != nil {
			return api.Response{}, err
		}
		return api.JSON(http.StatusOK, page), nil
	}
}

// Export is the history-export function's handler, GET
// /api/accounts/{accountId}/history/export?format=csv|jsonl&member=&period=&action=&cursor=:
// one part of the history as an attachment, with the cursor of the next
// part in Roster-Next (absent on the last), its event count in
// Roster-Events and the time of its oldest event in Roster-Through (for a
// progress bar). Errors: those of List, 400 invalid_format, 403 without
// history.manage.
func Export(d app.Deps) api.HandlerFunc {
	return newExport(readOnlyAuth(d), history.NewService(d.Store(), d.Catalog))
}

func newExport(a *auth.Authenticator, svc *history.Service) api.HandlerFunc {
	return func(ctx context.Context, req api.Request) (api.Response, error) {
		actor, accountID, err := a.Account(ctx, req)
		if err != nil {
			return api.Response{}, err
		}
		q := req.QueryStringParameters
		format, err := history.ParseFormat(q["format"])
		if err != nil {
			return api.Response{}, err
		}
		p, err := history.ParseParams(q)
		if err != nil {
			return api.Response{}, err
		}
		f, err := svc.Export(ctx, actor, accountID, history.ExportInput{Format: format, Params: p, Cursor: q["cursor"]})
		if err != nil {
			return api.Response{}, err
		}
		headers := map[string]string{
			"Content-Type":           f.Format.ContentType(),
			"Content-Disposition":    `attachment; filename="` + f.Name + `"`,
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
			"Roster-Events":          strconv.Itoa(f.Events),
		}
		if f.Next != "" {
			headers["Roster-Next"] = f.Next
		}
		if !f.Through.IsZero() {
			headers["Roster-Through"] = f.Through.UTC().Format(time.RFC3339Nano)
		}
		return api.Response{StatusCode: http.StatusOK, Headers: headers, Body: string(f.Body)}, nil
	}
}

// readOnlyAuth authenticates without writing: reading the history does not
// refresh the member's lastActiveAt.
func readOnlyAuth(d app.Deps) *auth.Authenticator {
	return auth.NewAuthenticator(history.ReadOnlySessions{Store: d.Store()}, !d.Config.Local)
}
