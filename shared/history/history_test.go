package history

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"roster/shared/domain"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in       string
		want     Period
		wantCode string
	}{
		{"", PeriodAll, ""}, {"1w", Period1W, ""}, {"12m", Period12M, ""}, {"all", PeriodAll, ""},
		{"1y", "", "invalid_period"}, {"1W", "", "invalid_period"}, {"7d", "", "invalid_period"},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if code := codeOf(err); got != tt.want || code != tt.wantCode {
			t.Errorf("ParsePeriod(%q): got %q %q, want %q %q", tt.in, got, code, tt.want, tt.wantCode)
		}
	}
}

func TestPeriodStart(t *testing.T) {
	now := time.Date(2026, 3, 31, 23, 30, 0, 5, time.FixedZone("X", 3600))
	utc := now.UTC()
	tests := []struct {
		p    Period
		want time.Time
	}{
		{Period1W, utc.Add(-7 * 24 * time.Hour)},
		{Period2W, utc.Add(-14 * 24 * time.Hour)},
		{Period1M, time.Date(2026, 3, 3, 22, 30, 0, 5, time.UTC)},
		{Period3M, time.Date(2025, 12, 31, 22, 30, 0, 5, time.UTC)},
		{Period12M, time.Date(2025, 3, 31, 22, 30, 0, 5, time.UTC)},
		{PeriodAll, time.Time{}},
	}
	for _, tt := range tests {
		if got := tt.p.Start(now); !got.Equal(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.p, got, tt.want)
		}
	}
}

func TestParseFilter(t *testing.T) {
	tests := []struct {
		in       string
		want     Filter
		wantCode string
	}{
		{"", Filter{}, ""},
		{"member", Filter{Kind: "member"}, ""},
		{"invitation", Filter{Kind: "invitation"}, ""},
		{"member.role_changed", Filter{Actions: []string{"member.role_changed"}}, ""},
		{"member.role_changed, invitation.created,member.role_changed", Filter{Actions: []string{"invitation.created", "member.role_changed"}}, ""},
		{"members", Filter{}, "invalid_action"},
		{"member,invitation.created", Filter{}, "invalid_action"},
		{"member.deleted", Filter{}, "invalid_action"},
		{",", Filter{}, "invalid_action"},
	}
	for _, tt := range tests {
		got, err := ParseFilter(tt.in)
		if code := codeOf(err); got.Kind != tt.want.Kind || !slices.Equal(got.Actions, tt.want.Actions) || code != tt.wantCode {
			t.Errorf("ParseFilter(%q): got %+v %q, want %+v %q", tt.in, got, code, tt.want, tt.wantCode)
		}
	}
}

func TestCursor(t *testing.T) {
	scope := Scope{AccountID: "a1", MemberID: "", Period: Period1M, Filter: Filter{Kind: "member"}}
	pos := "2026-03-01T10:00:00.000000000Z#0123abcd"
	c := EncodeCursor(scope, pos)
	if got, err := DecodeCursor(scope, c); err != nil || got != pos {
		t.Fatalf("round trip: got %q %v, want %q", got, err, pos)
	}
	foreign := []struct {
		name   string
		scope  Scope
		cursor string
	}{
		{"other account", Scope{AccountID: "a2", Period: Period1M, Filter: Filter{Kind: "member"}}, c},
		{"other member", Scope{AccountID: "a1", MemberID: "u1", Period: Period1M, Filter: Filter{Kind: "member"}}, c},
		{"other period", Scope{AccountID: "a1", Period: Period3M, Filter: Filter{Kind: "member"}}, c},
		{"other filter", Scope{AccountID: "a1", Period: Period1M}, c},
		{"not base64", scope, "!!!"},
		{"not json", scope, "bm90IGpzb24"},
		{"bad position", scope, EncodeCursor(scope, "ACCOUNT#x")},
		{"too long", scope, strings.Repeat("a", 600)},
	}
	for _, tt := range foreign {
		if _, err := DecodeCursor(tt.scope, tt.cursor); codeOf(err) != "invalid_cursor" {
			t.Errorf("%s: got %v, want invalid_cursor", tt.name, err)
		}
	}
	if got, err := DecodeCursor(scope, ""); got != "" || err != nil {
		t.Errorf("empty cursor: got %q %v, want the first page", got, err)
	}
}

type perms = domain.PermissionSet

func TestChanges(t *testing.T) {
	cat := domain.DefaultCatalog()
	tests := []struct {
		name          string
		before, after any
		want          []string
	}{
		{"role", map[string]any{"role": "member"}, map[string]any{"role": "admin"}, []string{"Role: member → admin"}},
		{"permissions added and removed",
			map[string]any{"permissions": perms{Granted: []string{"billing.view", "users.view"}}},
			map[string]any{"permissions": perms{Granted: []string{"users.view", "history.view", "billing.manage"}}},
			[]string{"Permissions added: History: View the history of changes; Billing: Pay invoices and change payment methods",
				"Permissions removed: Billing: View invoices and payment methods"}},
		{"all granted", map[string]any{"permissions": perms{Granted: []string{"users.view"}}}, map[string]any{"permissions": perms{All: true}},
			[]string{"All permissions granted"}},
		{"all removed", map[string]any{"permissions": perms{All: true}}, map[string]any{"permissions": perms{Granted: []string{"users.view"}}},
			[]string{"All permissions removed", "Permissions now: Account administration: View members and invitations"}},
		{"creation", nil, map[string]any{"role": "member", "permissions": perms{All: true}, "email": "a@example.com"},
			[]string{"Role: member", "Permissions: All", "Email: a@example.com"}},
		{"profile and bookkeeping", map[string]any{"firstName": "Ada", "lastName": "L", "version": 1}, map[string]any{"firstName": "Grace", "lastName": "L", "version": 2},
			[]string{"First name: Ada → Grace"}},
		{"status", map[string]any{"status": "active"}, map[string]any{"status": "deactivated"}, []string{"Status: active → deactivated"}},
		{"nothing", nil, nil, []string{}},
		{"struct images", domain.Membership{Role: domain.RoleMember, Status: domain.StatusActive},
			domain.Membership{Role: domain.RoleAdmin, Status: domain.StatusActive}, []string{"Role: member → admin"}},
		{"unknown permission shown as is", map[string]any{"permissions": perms{}}, map[string]any{"permissions": perms{Granted: []string{"x.view"}}},
			[]string{"Permissions added: x.view"}},
		{"permissions change with its lists: told once",
			map[string]any{"permissions": perms{Granted: []string{"billing.view"}}, "removed": []string{"billing.view"}},
			map[string]any{"permissions": perms{Granted: []string{"billing.manage"}}, "added": []string{"billing.manage"}},
			[]string{"Permissions added: Billing: Pay invoices and change payment methods",
				"Permissions removed: Billing: View invoices and payment methods"}},
		{"lists alone, with labels", map[string]any{"removed": []string{"users.view"}}, map[string]any{"added": []string{"billing.view"}},
			[]string{"Permissions added: Billing: View invoices and payment methods",
				"Permissions removed: Account administration: View members and invitations"}},
		{"accepted: inviter by name, no ids", nil,
			map[string]any{"invitationId": "0123abcd", "invitedBy": "u-ada", "invitedByName": "Ada Lovelace", "role": "member", "permissions": perms{All: true}},
			[]string{"Role: member", "Permissions: All", "Invited by: Ada Lovelace"}},
		{"accepted before names were kept: no inviter line", nil,
			map[string]any{"invitationId": "0123abcd", "invitedBy": "u-ada", "role": "member"},
			[]string{"Role: member"}},
		{"ids without names are skipped", map[string]any{"ownerId": "u1", "inviterId": "u3"}, map[string]any{"ownerId": "u2", "inviterId": "u4"},
			[]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Changes(tt.before, tt.after, cat); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func sampleItem(name string) Item {
	return Item{ID: "e1", At: "2026-03-01T10:00:00.000Z", Action: domain.ActionMemberRole,
		Actor:   domain.EventActor{UserID: "u1", Email: "ada@example.com", Name: name},
		Target:  domain.EventTarget{Kind: "member", ID: "u2", UserID: "u2", Name: "Bob, \"the\" builder"},
		Changes: []string{"Role: member → admin", "-2+3"}}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, FormatCSV)
	for _, name := range []string{"=HYPERLINK(\"http://evil\")", "+1", "-1", "@SUM(A1)", "Ada", "\t=1"} {
		if err := w.Write(sampleItem(name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v", err)
	}
	if !slices.Equal(rows[0], CSVHeader) {
		t.Errorf("header: got %v, want %v", rows[0], CSVHeader)
	}
	wantNames := []string{"'=HYPERLINK(\"http://evil\")", "'+1", "'-1", "'@SUM(A1)", "Ada", "'\t=1"}
	for i, want := range wantNames {
		if got := rows[i+1][2]; got != want {
			t.Errorf("row %d actor: got %q, want %q", i+1, got, want)
		}
	}
	if got, want := rows[1][6], "Bob, \"the\" builder"; got != want {
		t.Errorf("quoted cell: got %q, want %q", got, want)
	}
	if got, want := rows[1][10], "Role: member → admin\n-2+3"; got != want {
		t.Errorf("changes: got %q, want %q", got, want)
	}
	// An empty export is its header.
	var empty bytes.Buffer
	e := NewWriter(&empty, FormatCSV)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := empty.String(), strings.Join(CSVHeader, ",")+"\n"; got != want {
		t.Errorf("empty export: got %q, want %q", got, want)
	}
}

func TestJSONL(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, FormatJSONL)
	for _, n := range []string{"Ada", "line\nbreak"} {
		if err := w.Write(sampleItem(n)); err != nil {
			t.Fatal(err)
		}
	}
	_ = w.Close()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("lines: got %d, want 2", len(lines))
	}
	var got Item
	if err := json.Unmarshal([]byte(lines[1]), &got); err != nil {
		t.Fatal(err)
	}
	if got.Actor.Name != "line\nbreak" || got.Action != domain.ActionMemberRole || len(got.Changes) != 2 {
		t.Errorf("line 2: got %+v, want the item", got)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"": FormatCSV, "csv": FormatCSV, "jsonl": FormatJSONL} {
		if got, err := ParseFormat(in); got != want || err != nil {
			t.Errorf("%q: got %q %v, want %q", in, got, err, want)
		}
	}
	if _, err := ParseFormat("xlsx"); codeOf(err) != "invalid_format" {
		t.Errorf("xlsx: got %v, want invalid_format", err)
	}
}

func codeOf(err error) string {
	if e := domain.AsError(err); e != nil {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}
