package history

import (
	"testing"
)

// FuzzCursor: a cursor made for a scope gives back its position there and
// nothing in another scope; any token either decodes to a well-formed
// position or is invalid_cursor; nothing panics.
func FuzzCursor(f *testing.F) {
	f.Add("acct", "", "1m", "2026-12-02T10:00:00.000000000Z#ev1", "")
	f.Add("acct", "user", "all", "2026-12-02T10:00:00.000000000Z#ev1", "eyJwIjoieCJ9")
	f.Add("a", "", "1w", "bad", "***")
	f.Fuzz(func(t *testing.T, account, member, period, pos, token string) {
		scope := Scope{AccountID: account, MemberID: member, Period: Period(period)}
		if positionPattern.MatchString(pos) {
			got, err := DecodeCursor(scope, EncodeCursor(scope, pos))
			if err != nil || got != pos {
				t.Fatalf("round trip of %q: got %q, %v", pos, got, err)
			}
			other := scope
			other.AccountID += "x"
			if _, err := DecodeCursor(other, EncodeCursor(scope, pos)); err == nil {
				t.Fatalf("a cursor of account %q accepted for %q", account, other.AccountID)
			}
		}
		got, err := DecodeCursor(scope, token)
		if err == nil && token != "" && !positionPattern.MatchString(got) {
			t.Fatalf("token %q decoded to a malformed position %q", token, got)
		}
	})
}
