package store

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzPendingCursor: a cursor of the account's Pending list gives back its
// position; one of another account, or any other token, is
// ErrInvalidCursor; nothing panics.
func FuzzPendingCursor(f *testing.F) {
	f.Add("acct", "inv1", "2026-12-02T10:00:00Z", "")
	f.Add("acct", "inv1", "x", "eyJpIjoiaW52MSJ9")
	f.Add("acct", "", "", "////")
	f.Fuzz(func(t *testing.T, account, id, created, token string) {
		if id != "" {
			b, _ := json.Marshal(pendingCursor{ID: id, Created: created, Sum: cursorSum(account, id, created)})
			made := base64.RawURLEncoding.EncodeToString(b)
			if len(b) <= 512 && len(made) <= 700 {
				c, err := decodePendingCursor(account, made)
				if err == nil && (c.Sum != cursorSum(account, c.ID, c.Created)) {
					t.Fatalf("decoded a cursor whose sum does not match")
				}
				if _, err := decodePendingCursor(account+"x", made); err == nil {
					t.Fatalf("a cursor of account %q accepted for another", account)
				}
			}
		}
		c, err := decodePendingCursor(account, token)
		if err != nil && !errors.Is(err, ErrInvalidCursor) {
			t.Fatalf("unexpected error %v", err)
		}
		if err == nil && (c.ID == "" || c.Sum != cursorSum(account, c.ID, c.Created)) {
			t.Fatalf("token %q accepted without the account's sum", token)
		}
	})
}
