package historyhttp

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"roster/shared/api"
	"roster/shared/app"
	"roster/shared/auth"
	"roster/shared/domain"
	"roster/shared/history"
	"roster/shared/store"
)

// exportStore is the part of the store the export reads.
type exportStore interface {
	History(ctx context.Context, q store.HistoryQuery) (store.HistoryPage, error)
	history.MemberFinder
	Now() time.Time
}

// exportAuthenticator turns a request into an actor of the account.
type exportAuthenticator interface {
	Member(ctx context.Context, req api.Request, accountID string) (domain.Actor, domain.Membership, error)
}

// Bounds of one export. A Lambda behind an HTTP API cannot stream its
// answer, and a synchronous answer is at most 6 MB as the runtime's JSON
// (where a CSV's quotes and line breaks are escaped), so the file is built
// whole, page by page, up to these bounds.
const (
	MaxEvents = 10000
	MaxBytes  = 4 << 20
	// pageSize is the events of each Query.
	pageSize = 1000
)

// exportHandler answers GET /api/accounts/{accountId}/history/export.
type exportHandler struct {
	store     exportStore
	auth      exportAuthenticator
	catalog   *domain.Catalog
	maxEvents int
	maxBytes  int
}

// newExportHandler returns the export over s, authenticating with a.
func newExportHandler(s exportStore, a exportAuthenticator, cat *domain.Catalog) *exportHandler {
	return &exportHandler{store: s, auth: a, catalog: cat, maxEvents: MaxEvents, maxBytes: MaxBytes}
}

// Handle returns the account's (or one member's) history in the period and
// filter as a CSV or JSON-lines attachment, newest first, read a page
// (one Query of up to 1000 events) at a time. Errors: 401 without a session;
// 404 account_not_found or member_not_found; 403 missing_permission without
// history.manage (the owner always holds it); 400 invalid_format,
// invalid_period, invalid_action, invalid_member; 413 too_large when the
// export would pass MaxEvents or MaxBytes (choose a shorter period or a
// filter).
func (h *exportHandler) Handle(ctx context.Context, req api.Request) (api.Response, error) {
	accountID, err := api.PathParam(req, "accountId")
	if err != nil {
		return api.Response{}, err
	}
	actor, _, err := h.auth.Member(ctx, req, accountID)
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
	if err := history.CanExport(actor); err != nil {
		return api.Response{}, err
	}
	now := h.store.Now()
	query := store.HistoryQuery{AccountID: accountID, MemberID: p.MemberID, From: p.Period.Start(now), To: now,
		Kind: p.Filter.Kind, Actions: p.Filter.Actions, Limit: pageSize}
	var buf bytes.Buffer
	w := history.NewWriter(&buf, format)
	n := 0
	for {
		page, err := h.store.History(ctx, query)
		if err != nil {
			return api.Response{}, err
		}
		if n == 0 && query.After == "" && p.MemberID != "" && len(page.Events) == 0 && page.Next == "" {
			if err := history.KnownMember(ctx, h.store, accountID, p.MemberID); err != nil {
				return api.Response{}, err
			}
		}
		for _, ev := range page.Events {
			n++
			if n > h.maxEvents {
				return api.Response{}, tooLarge(fmt.Sprintf("more than %d events", h.maxEvents))
			}
			if err := w.Write(history.ItemOf(ev, h.catalog)); err != nil {
				return api.Response{}, err
			}
			if buf.Len() > h.maxBytes {
				return api.Response{}, tooLarge(fmt.Sprintf("more than %d MB", h.maxBytes>>20))
			}
		}
		if page.Next == "" {
			break
		}
		query.After = page.Next
	}
	if err := w.Close(); err != nil {
		return api.Response{}, err
	}
	name := fmt.Sprintf("roster-history-%s-%s-%s.%s", accountID, p.Period, now.UTC().Format("20060102"), format.Extension())
	return api.Response{
		StatusCode: http.StatusOK,
		Headers: map[string]string{
			"Content-Type":           format.ContentType(),
			"Content-Disposition":    `attachment; filename="` + name + `"`,
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
		},
		Body: buf.String(),
	}, nil
}

func tooLarge(what string) error {
	return domain.CodeExportTooLarge.Msg("This export holds " + what + ", more than one file can carry. Choose a shorter period, one member or an action filter.")
}

// Export is the history-export function's handler.
func Export(d app.Deps) api.HandlerFunc {
	return newExportHandler(d.Store(), auth.NewAuthenticator(history.ReadOnlySessions{Store: d.Store()}, !d.Config.Local), d.Catalog).Handle
}
