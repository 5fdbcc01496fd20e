package memberhttp

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"roster/shared/domain"
	"roster/shared/fixture"
	"roster/shared/members"
)

func TestListMembers(t *testing.T) {
	t.Parallel()
	f := fixture.NewAccount(t)
	h := newList(f.Auth, f.Service)
	viewer := f.Add(t, "Ada", "Lovelace", domain.RoleMember, "users.view")
	f.Add(t, "Adèle", "Blanc-Sec", domain.RoleMember, "billing.view")
	billing := f.Add(t, "Bob", "Billing", domain.RoleMember, "billing.view")
	removed := f.Add(t, "Rem", "Oved", domain.RoleMember, "users.view")
	if err := f.Service.Remove(t.Context(), f.MustActor(t, f.Owner.Cookie), f.Account.ID, removed.User.ID, 1, ""); err != nil {
		t.Fatal(err)
	}
	query := func(q map[string]string) func(r *map[string]string) {
		return func(r *map[string]string) { *r = q }
	}
	tests := []struct {
		name     string
		cookie   string
		query    func(*map[string]string)
		status   int
		code     string
		wantLen  int
		wantNext bool
	}{
		{"active members", viewer.Cookie, query(map[string]string{}), 200, "", 4, false},
		{"search accent-insensitive", viewer.Cookie, query(map[string]string{"q": "ADELE"}), 200, "", 1, false},
		{"search prefix", viewer.Cookie, query(map[string]string{"q": "ad"}), 200, "", 2, false},
		{"two per page", viewer.Cookie, query(map[string]string{"limit": "2"}), 200, "", 2, true},
		{"deactivated tab", viewer.Cookie, query(map[string]string{"status": "deactivated"}), 200, "", 0, false},
		{"bad limit", viewer.Cookie, query(map[string]string{"limit": "x"}), 400, "invalid_limit", 0, false},
		{"bad status", viewer.Cookie, query(map[string]string{"status": "pending"}), 400, "invalid_status", 0, false},
		{"over-long search", viewer.Cookie, query(map[string]string{"q": strings.Repeat("é", 101)}), 400, "query_too_long", 0, false},
		{"forged cursor", viewer.Cookie, query(map[string]string{"cursor": "eyJhIjoieCJ9"}), 400, "invalid_cursor", 0, false},
		{"without users.view", billing.Cookie, query(map[string]string{}), 403, "missing_permission", 0, false},
		{"removed member", removed.Cookie, query(map[string]string{}), 404, "account_not_found", 0, false},
		{"signed out", "", query(map[string]string{}), 401, "unauthenticated", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := f.Event(t, "members-list.json", tt.cookie, "", nil)
			tt.query(&req.QueryStringParameters)
			status, body := fixture.Wrapped(t, "members-list", h, req)
			if status != tt.status || fixture.CodeOf(body) != tt.code {
				t.Fatalf("got %d %s, want %d %q", status, body, tt.status, tt.code)
			}
			if status != 200 {
				return
			}
			var page members.List
			if err := json.Unmarshal([]byte(body), &page); err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != tt.wantLen || (page.Next != "") != tt.wantNext {
				t.Errorf("got %d items next %q, want %d next %v", len(page.Items), page.Next, tt.wantLen, tt.wantNext)
			}
		})
	}
	// The next page follows through the cursor, as the site sends it.
	req := f.Event(t, "members-list.json", viewer.Cookie, "", nil)
	req.QueryStringParameters = map[string]string{"limit": "3"}
	_, body := fixture.Wrapped(t, "members-list", h, req)
	var first members.List
	_ = json.Unmarshal([]byte(body), &first)
	cursor, _ := url.QueryUnescape(url.QueryEscape(first.Next))
	req.QueryStringParameters = map[string]string{"limit": "3", "cursor": cursor}
	status, body := fixture.Wrapped(t, "members-list", h, req)
	var second members.List
	_ = json.Unmarshal([]byte(body), &second)
	if status != 200 || len(second.Items) != 1 || second.Next != "" {
		t.Errorf("second page: got %d %s, want 200 with the last member", status, body)
	}
	if fmt.Sprint(first.Items) == fmt.Sprint(second.Items) {
		t.Error("second page repeats the first")
	}
}
