package members

import (
	"testing"

	"roster/shared/domain"
	"roster/shared/testenv"
)

// FuzzCursor: a token of the same account, status and search gives back its
// position; any other token is invalid_cursor; nothing panics.
func FuzzCursor(f *testing.F) {
	f.Add("acct", "active", "", "grace hopper#u1", "")
	f.Add("acct", "deactivated", "gra", "x#y", "eyJhIjoiYWNjdCIsInMiOiJhY3RpdmUiLCJwIjoieCJ9")
	f.Add("acct", "active", "", "x", "!!!")
	f.Fuzz(func(t *testing.T, account, status, query, pos, token string) {
		st := domain.MemberStatus(status)
		if testenv.AllUTF8(account, status, query, pos) && pos != "" {
			tok := encodeCursor(account, st, query, pos)
			got, err := decodeCursor(tok, account, st, query)
			if len(tok) <= maxCursorLength && (err != nil || got != pos) {
				t.Fatalf("round trip of %q: got %q, %v", pos, got, err)
			}
		}
		got, err := decodeCursor(token, account, st, query)
		if err != nil && domain.AsError(err) == nil {
			t.Fatalf("a non-domain error: %v", err)
		}
		if err == nil && token != "" && got == "" {
			t.Fatalf("token %q accepted with no position", token)
		}
	})
}
