package historyhttp

import (
	"context"
	"net/http"
	"time"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/history"
	"roster/shared/store"
)

// listStore is the part of the store the listing reads.
type listStore interface {
	History(ctx context.Context, q store.HistoryQuery) (store.HistoryPage, error)
	history.MemberFinder
	Now() time.Time
}

// listAuthenticator turns a request into an actor of the account.
type listAuthenticator interface {
	Member(ctx context.Context, req api.Request, accountID string) (domain.Actor, domain.Membership, error)
}

// listHandler answers GET /api/accounts/{accountId}/history.
type listHandler struct {
	store   listStore
	auth    listAuthenticator
	catalog *domain.Catalog
}

// newListHandler returns the listing over s, authenticating with a.
func newListHandler(s listStore, a listAuthenticator, cat *domain.Catalog) *listHandler {
	return &listHandler{store: s, auth: a, catalog: cat}
}

// listPage is the body of an answer.
type listPage struct {
	Items []history.Item `json:"items"`
	Next  string         `json:"next,omitempty"`
}

// Handle returns one page of the account's history (or of one member's with
// member=), newest first, within the period, filtered by action: one Query.
// Errors: 401 without a session; 404 account_not_found for an account the
// user is not a member of, member_not_found for a member id that never was
// a member of it; 403 missing_permission without history.view (except for
// one's own history); 400 invalid_period, invalid_action, invalid_limit,
// invalid_member, invalid_cursor (malformed, or made for another account,
// member, period or filter).
func (h *listHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	accountID, err := api.PathParam(req, "accountId")
	if err != nil {
		return api.Response{}, err
	}
	actor, _, err := h.auth.Member(ctx, req, accountID)
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
	if err := history.CanRead(actor, p.MemberID); err != nil {
		return api.Response{}, err
	}
	after, err := history.DecodeCursor(p.Scope(accountID), q["cursor"])
	if err != nil {
		return api.Response{}, err
	}
	page, err := h.store.History(ctx, store.HistoryQuery{
		AccountID: accountID,
		MemberID:  p.MemberID,
		From:      p.Period.Start(h.store.Now()),
		Kind:      p.Filter.Kind,
		Actions:   p.Filter.Actions,
		Limit:     limit,
		After:     after,
	})
	if err != nil {
		return api.Response{}, err
	}
	if p.MemberID != "" && after == "" && len(page.Events) == 0 && page.Next == "" {
		if err := history.KnownMember(ctx, h.store, accountID, p.MemberID); err != nil {
			return api.Response{}, err
		}
	}
	out := listPage{Items: make([]history.Item, 0, len(page.Events))}
	for _, ev := range page.Events {
		out.Items = append(out.Items, history.ItemOf(ev, h.catalog))
	}
	if page.Next != "" {
		out.Next = history.EncodeCursor(p.Scope(accountID), page.Next)
	}
	return api.JSON(http.StatusOK, out), nil
}

// List is the history-list function's handler.
func List(d app.Deps) api.HandlerFunc {
	return newListHandler(d.Store(), auth.NewAuthenticator(history.ReadOnlySessions{Store: d.Store()}, !d.Config.Local), d.Catalog).Handle
}
