package projects

import (
	"testing"

	"roster/shared/domain"
	"roster/shared/testenv"
)

// FuzzCursor: a token of the same scope gives back its position; any other
// token is invalid_cursor; nothing panics.
func FuzzCursor(f *testing.F) {
	f.Add("acct#name", "loom#p1", "")
	f.Add("acct#name", "x", "eyJzIjoib3RoZXIiLCJwIjoieCJ9")
	f.Add("s", "p", "%%%")
	f.Fuzz(func(t *testing.T, scope, pos, token string) {
		if testenv.AllUTF8(scope, pos) && pos != "" {
			tok := encodeCursor(scope, pos)
			got, err := decodeCursor(tok, scope)
			if len(tok) <= maxCursorLength && (err != nil || got != pos) {
				t.Fatalf("round trip of %q: got %q, %v", pos, got, err)
			}
		}
		got, err := decodeCursor(token, scope)
		if err != nil && domain.AsError(err) == nil {
			t.Fatalf("a non-domain error: %v", err)
		}
		if err == nil && token != "" && got == "" {
			t.Fatalf("token %q accepted with no position", token)
		}
	})
}
