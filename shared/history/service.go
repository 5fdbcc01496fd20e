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

// Bounds of one part of an export. A Lambda behind an HTTP API cannot
// stream its answer, and a synchronous answer is at most 6 MB as the
// runtime's JSON (where a CSV's quotes and line breaks are escaped), so an
// export of any size comes in parts, each a request with the cursor the
// part before returned; the site joins them into one file.
const (
	PartEvents = 5000
	PartBytes  = 1 << 20
	// exportQuery is the events of each Query of an export.
	exportQuery = 1000
)

// Service reads the history of an account.
type Service struct {
	store      Store
	catalog    *domain.Catalog
	partEvents int
	partBytes  int
	// queryEvents is the events of each Query of an export.
	queryEvents int
}

// NewService returns the history over s, naming permissions with cat.
func NewService(s Store, cat *domain.Catalog) *Service {
	return &Service{store: s, catalog: cat, partEvents: PartEvents, partBytes: PartBytes, queryEvents: exportQuery}
}

// WithExportParts returns the service with other bounds of an export's
// parts and of each of its queries (for tests).
func (s *Service) WithExportParts(events, perQuery, bytes int) *Service {
	c := *s
	c.partEvents, c.queryEvents, c.partBytes = events, perQuery, bytes
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

// File is one part of an export: its name, its contents, the cursor of
// the next part ("" for the last) and how many events it holds.
type File struct {
	Name   string
	Format Format
	Body   []byte
	Next   string
	Events int
	// Through is the time of its oldest event (zero when it has none).
	Through time.Time
}

// ExportInput is what a part of an export asks for: the format, the
// history's scope, and the cursor the part before returned ("" for the
// first part).
type ExportInput struct {
	Format Format
	Params Params
	Cursor string
}

// Export returns one part of the account's (or one member's) history in
// the period and filter, newest first: at most PartEvents events, read a
// Query of up to 1000 events at a time, and no further Query once the part
// holds PartBytes; so every request is bounded in time and memory (a part
// is at most PartBytes and one Query's events) whatever the history's
// size. The parts, concatenated in order, are the whole file
// (the first alone holds the CSV header). It returns forbidden
// missing_permission without history.manage (the owner always holds it),
// invalid invalid_cursor for a cursor of another export, and not_found
// member_not_found.
func (s *Service) Export(ctx context.Context, actor domain.Actor, accountID string, in ExportInput) (File, error) {
	if err := CanExport(actor); err != nil {
		return File{}, err
	}
	p := in.Params
	after, err := DecodeCursor(p.Scope(accountID), in.Cursor)
	if err != nil {
		return File{}, err
	}
	now := s.store.Now()
	query := store.HistoryQuery{AccountID: accountID, MemberID: p.MemberID, From: p.Period.Start(now), To: now,
		Kind: p.Filter.Kind, Actions: p.Filter.Actions, After: after}
	var buf bytes.Buffer
	w := NewWriter(&buf, in.Format)
	if after != "" {
		w = NewContinuation(&buf, in.Format)
	}
	f := File{Format: in.Format,
		Name: fmt.Sprintf("roster-history-%s-%s-%s.%s", accountID, p.Period, now.UTC().Format("20060102"), in.Format.Extension())}
	for f.Events < s.partEvents && buf.Len() < s.partBytes {
		query.Limit = min(s.queryEvents, s.partEvents-f.Events)
		page, err := s.store.History(ctx, query)
		if err != nil {
			return File{}, err
		}
		if query.After == "" && p.MemberID != "" && len(page.Events) == 0 && page.Next == "" {
			if err := KnownMember(ctx, s.store, accountID, p.MemberID); err != nil {
				return File{}, err
			}
		}
		for _, ev := range page.Events {
			if err := w.Write(ItemOf(ev, s.catalog)); err != nil {
				return File{}, err
			}
			f.Events++
			f.Through = ev.At
		}
		query.After = page.Next
		if page.Next == "" {
			break
		}
	}
	if err := w.Close(); err != nil {
		return File{}, err
	}
	if query.After != "" {
		f.Next = EncodeCursor(p.Scope(accountID), query.After)
	}
	f.Body = buf.Bytes()
	return f, nil
}
