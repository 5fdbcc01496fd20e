package projects

import (
	"testing"
	"unicode/utf8"

	"roster/shared/domain"
)

// FuzzCursor: a token of the same scope gives back its position; any other
// token is invalid_cursor; nothing panics.
func FuzzCursor(f *testing.F) {
	f.Add("acct#name", "loom#p1", "")
	f.Add("acct#name", "x", "eyJzIjoib3RoZXIiLCJwIjoieCJ9")
	f.Add("s", "p", "%%%")
	f.Fuzz(func(t *testing.T, scope, pos, token string) {
		if valid(scope, pos) && pos != "" {
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

// valid reports whether every string is UTF-8 on its own (JSON would
// replace the bytes of one that is not, so it could not round-trip).
func valid(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
