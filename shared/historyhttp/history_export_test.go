package historyhttp

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/history"
	"roster/shared/store"
)

func TestExport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := fixture.New(t)
	svc := history.NewService(env.Store, domain.DefaultCatalog())
	h := newExport(env.Auth, svc)
	acct := store.NewID()
	owner, manager, viewer := env.User(t, true), env.User(t, true), env.User(t, true)
	now := time.Now().UTC()
	mk := func(u domain.User, role domain.Role, p domain.PermissionSet) domain.Membership {
		return domain.Membership{AccountID: acct, UserID: u.ID, Email: u.Email, Role: role, Permissions: p, Status: domain.StatusActive, JoinedAt: now}
	}
	if err := env.Store.CreateAccount(ctx, domain.Account{ID: acct, Name: "Acme", OwnerID: owner.ID, CreatedAt: now}, mk(owner, domain.RoleOwner, domain.PermissionSet{All: true}), domain.AuditEvent{ID: "created", AccountID: acct, At: now.Add(-40 * 24 * time.Hour), Action: domain.ActionAccountCreated,
		Actor: domain.EventActor{UserID: owner.ID}, Target: domain.EventTarget{Kind: "account", ID: acct}}, store.Limit{}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []domain.Membership{
		mk(manager, domain.RoleMember, domain.PermissionSet{Granted: []string{"history.manage", "history.view"}}),
		mk(viewer, domain.RoleMember, domain.PermissionSet{Granted: []string{"history.view"}}),
	} {
		if err := env.Store.SeedMembership(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	var evs []domain.AuditEvent
	for i := range 5 {
		evs = append(evs, domain.AuditEvent{ID: fmt.Sprintf("ev%d", i), AccountID: acct, At: now.Add(-time.Duration(5-i) * time.Minute),
			Action: domain.ActionMemberRole, Actor: domain.EventActor{UserID: owner.ID, Name: "=HYPERLINK(\"http://evil\")", Email: owner.Email},
			Target: domain.EventTarget{Kind: "member", ID: viewer.ID, UserID: viewer.ID, Name: "Viewer, \"V\""},
			Before: map[string]any{"role": "member"}, After: map[string]any{"role": "admin"}})
	}
	if err := env.Store.RecordEvents(ctx, evs...); err != nil {
		t.Fatal(err)
	}
	cOwner, cManager, cViewer := env.SignIn(t, owner), env.SignIn(t, manager), env.SignIn(t, viewer)
	get := func(h api.HandlerFunc, cookie string, q map[string]string) api.Response {
		req := fixture.Request(t, "history-export.json", nil, cookie)
		req.PathParameters = map[string]string{"accountId": acct}
		req.QueryStringParameters = q
		return fixture.Call(t, h, req)
	}

	t.Run("csv", func(t *testing.T) {
		resp := get(h, cOwner, map[string]string{"format": "csv", "period": "1m"})
		if resp.StatusCode != 200 {
			t.Fatalf("status: got %d, want 200 (%s)", resp.StatusCode, resp.Body)
		}
		if got := resp.Headers["Content-Type"]; got != "text/csv; charset=utf-8" {
			t.Errorf("content type: got %q, want text/csv", got)
		}
		if got := resp.Headers["Content-Disposition"]; !strings.HasPrefix(got, `attachment; filename="roster-history-`+acct+`-1m-`) || !strings.HasSuffix(got, `.csv"`) {
			t.Errorf("disposition: got %q, want an attachment named after the account and period", got)
		}
		rows, err := csv.NewReader(strings.NewReader(resp.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// Header and the 5 events of the last month, newest first; account.created is older.
		if len(rows) != 6 || strings.Join(rows[0], ",") != strings.Join(history.CSVHeader, ",") || rows[1][14] != "ev4" || rows[5][14] != "ev0" {
			t.Fatalf("rows: got %d rows %q, want header + ev4..ev0", len(rows), rows)
		}
		if got, want := rows[1][2], `'=HYPERLINK("http://evil")`; got != want {
			t.Errorf("actor cell: got %q, want %q (formula guarded)", got, want)
		}
		if got, want := rows[1][10], "Role: member → admin"; got != want {
			t.Errorf("changes: got %q, want %q", got, want)
		}
	})
	t.Run("jsonl by a member with history.manage", func(t *testing.T) {
		resp := get(h, cManager, map[string]string{"format": "jsonl", "action": "account"})
		if resp.StatusCode != 200 {
			t.Fatalf("status: got %d, want 200 (%s)", resp.StatusCode, resp.Body)
		}
		lines := strings.Split(strings.TrimSuffix(resp.Body, "\n"), "\n")
		if len(lines) != 1 || !strings.Contains(lines[0], `"id":"created"`) {
			t.Errorf("lines: got %q, want the account.created event", lines)
		}
	})
	// An export of any size comes in parts: joined in order, the parts of
	// 3 events or of about 600 bytes are the file one part holds.
	type exported struct{ body, next string }
	parts := func(h api.HandlerFunc, format string) (string, int) {
		var body strings.Builder
		q := map[string]string{"format": format}
		n := 0
		for {
			resp := get(h, cOwner, q)
			if resp.StatusCode != 200 {
				t.Fatalf("part %d: got %d %s", n, resp.StatusCode, resp.Body)
			}
			body.WriteString(resp.Body)
			n++
			next := resp.Headers["Roster-Next"]
			if next == "" {
				return body.String(), n
			}
			if resp.Headers["Roster-Events"] == "0" || resp.Headers["Roster-Through"] == "" {
				t.Errorf("part %d: headers %v, want its events and the time of its oldest", n, resp.Headers)
			}
			q["cursor"] = next
			if n > 20 {
				t.Fatal("too many parts")
			}
		}
	}
	var whole exported
	for _, format := range []string{"csv", "jsonl"} {
		resp := get(h, cOwner, map[string]string{"format": format})
		whole = exported{body: resp.Body}
		if resp.Headers["Roster-Next"] != "" {
			t.Fatalf("%s: a small history came in more than one part", format)
		}
		for _, b := range []struct {
			name                    string
			events, perQuery, bytes int
		}{{"3 events a part", 3, 1000, history.PartBytes}, {"600 bytes a part, 2 events a query", history.PartEvents, 2, 600}} {
			got, n := parts(newExport(env.Auth, svc.WithExportParts(b.events, b.perQuery, b.bytes)), format)
			if got != whole.body || n < 2 {
				t.Errorf("%s, %s: %d parts joined are\n%s\nwant\n%s", format, b.name, n, got, whole.body)
			}
		}
	}
	if r := get(newExport(env.Auth, svc.WithExportParts(3, 1000, history.PartBytes)), cOwner, map[string]string{"format": "csv"}); r.Headers["Roster-Next"] != "" {
		whole.next = r.Headers["Roster-Next"]
	}

	errs := []struct {
		name       string
		h          api.HandlerFunc
		cookie     string
		q          map[string]string
		wantStatus int
		wantCode   string
	}{
		{"history.view is not enough", h, cViewer, nil, 403, "missing_permission"},
		{"unknown format", h, cOwner, map[string]string{"format": "xlsx"}, 400, "invalid_format"},
		{"unknown period", h, cOwner, map[string]string{"period": "2y"}, 400, "invalid_period"},
		{"unknown member", h, cOwner, map[string]string{"member": store.NewID()}, 404, "member_not_found"},
		{"a cursor of another export", h, cOwner, map[string]string{"period": "1w", "cursor": whole.next}, 400, "invalid_cursor"},
		{"no session", h, "", nil, 401, "unauthenticated"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(tt.h, tt.cookie, tt.q)
			if resp.StatusCode != tt.wantStatus || fixture.ErrorOf(t, resp).Error.Code != tt.wantCode {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, resp.Body, tt.wantStatus, tt.wantCode)
			}
		})
	}
}
