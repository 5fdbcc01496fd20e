package history

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"roster/shared/domain"
	"roster/shared/store"
)

// Store is the part of the store the history reads.
type Store interface {
	History(ctx context.Context, q store.HistoryQuery) (store.HistoryPage, error)
	MemberFinder
	Now() time.Time
}

// Bounds of one export. A Lambda behind an HTTP API cannot stream its
// answer, and a synchronous answer is at most 6 MB as the runtime's JSON
// (where a CSV's quotes and line breaks are escaped), so the file is built
// whole, page by page, up to these bounds.
const (
	MaxEvents = 10000
	MaxBytes  = 4 << 20
	// exportPage is the events of each Query of an export.
	exportPage = 1000
)

// Service reads the history of an account.
type Service struct {
	store     Store
	catalog   *domain.Catalog
	maxEvents int
	maxBytes  int
}

// NewService returns the history over s, naming permissions with cat.
func NewService(s Store, cat *domain.Catalog) *Service {
	return &Service{store: s, catalog: cat, maxEvents: MaxEvents, maxBytes: MaxBytes}
}

// WithExportBounds returns the service with other export bounds (for tests).
func (s *Service) WithExportBounds(events, bytes int) *Service {
	c := *s
	c.maxEvents, c.maxBytes = events, bytes
	return &c
}

// Page is one page of history.
type Page struct {
	Items []Item `json:"items"`
	Next  string `json:"next,omitempty"`
}

// ListInput is what a page of history asks for: the account's or one
// member's history in a period and filter, a page size, and the cursor of
// the page before.
type ListInput struct {
	Params Params
	Limit  int
	Cursor string
}

// List returns one page of the account's history (or of one member's),
// newest first, within the period, filtered by action: one Query. It
// returns forbidden missing_permission without history.view (except for
// one's own history), invalid invalid_cursor for a cursor made for another
// account, member, period or filter, and not_found member_not_found for a
// member id that never was a member of the account.
func (s *Service) List(ctx context.Context, actor domain.Actor, accountID string, in ListInput) (Page, error) {
	p := in.Params
	if err := CanRead(actor, p.MemberID); err != nil {
		return Page{}, err
	}
	after, err := DecodeCursor(p.Scope(accountID), in.Cursor)
	if err != nil {
		return Page{}, err
	}
	page, err := s.store.History(ctx, store.HistoryQuery{
		AccountID: accountID, MemberID: p.MemberID, From: p.Period.Start(s.store.Now()),
		Kind: p.Filter.Kind, Actions: p.Filter.Actions, Limit: in.Limit, After: after,
	})
	if err != nil {
		return Page{}, err
	}
	if p.MemberID != "" && after == "" && len(page.Events) == 0 && page.Next == "" {
		if err := KnownMember(ctx, s.store, accountID, p.MemberID); err != nil {
			return Page{}, err
		}
	}
	out := Page{Items: make([]Item, 0, len(page.Events))}
	for _, ev := range page.Events {
		out.Items = append(out.Items, ItemOf(ev, s.catalog))
	}
	if page.Next != "" {
		out.Next = EncodeCursor(p.Scope(accountID), page.Next)
	}
	return out, nil
}

// File is an export: its name and contents.
type File struct {
	Name   string
	Format Format
	Body   []byte
}

// Export returns the account's (or one member's) history in the period
// and filter as a file, newest first, read a page (one Query of up to 1000
// events) at a time. It returns forbidden missing_permission without
// history.manage (the owner always holds it), not_found member_not_found,
// and too_large export_too_large past the export bounds (choose a shorter
// period or a filter).
func (s *Service) Export(ctx context.Context, actor domain.Actor, accountID string, format Format, p Params) (File, error) {
	if err := CanExport(actor); err != nil {
		return File{}, err
	}
	now := s.store.Now()
	query := store.HistoryQuery{AccountID: accountID, MemberID: p.MemberID, From: p.Period.Start(now), To: now,
		Kind: p.Filter.Kind, Actions: p.Filter.Actions, Limit: exportPage}
	var buf bytes.Buffer
	w := NewWriter(&buf, format)
	n := 0
	for {
		page, err := s.store.History(ctx, query)
		if err != nil {
			return File{}, err
		}
		if n == 0 && query.After == "" && p.MemberID != "" && len(page.Events) == 0 && page.Next == "" {
			if err := KnownMember(ctx, s.store, accountID, p.MemberID); err != nil {
				return File{}, err
			}
		}
		for _, ev := range page.Events {
			n++
			if n > s.maxEvents {
				return File{}, tooLarge(fmt.Sprintf("more than %d events", s.maxEvents))
			}
			if err := w.Write(ItemOf(ev, s.catalog)); err != nil {
				return File{}, err
			}
			if buf.Len() > s.maxBytes {
				return File{}, tooLarge(fmt.Sprintf("more than %d MB", s.maxBytes>>20))
			}
		}
		if page.Next == "" {
			break
		}
		query.After = page.Next
	}
	if err := w.Close(); err != nil {
		return File{}, err
	}
	name := fmt.Sprintf("roster-history-%s-%s-%s.%s", accountID, p.Period, now.UTC().Format("20060102"), format.Extension())
	return File{Name: name, Format: format, Body: buf.Bytes()}, nil
}

func tooLarge(what string) error {
	return domain.CodeExportTooLarge.Msg("This export holds " + what + ", more than one file can carry. Choose a shorter period, one member or an action filter.")
}
