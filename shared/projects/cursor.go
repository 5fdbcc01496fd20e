package projects

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"roster/shared/domain"
)

// cursor is the opaque paging token of a list: the store's position, bound
// to the list (account, project or member, and search) it was made for.
type cursor struct {
	Scope string `json:"s"`
	Pos   string `json:"p"`
}

const maxCursorLength = 1024

var errCursor = domain.CodeInvalidCursor.Field("cursor", "This page link is not valid for this list; start from the first page.")

func encodeCursor(scope, pos string) string {
	if pos == "" {
		return ""
	}
	b, _ := json.Marshal(cursor{Scope: scope, Pos: pos})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor returns the position of a token made for scope, or
// invalid_cursor.
func decodeCursor(token, scope string) (string, error) {
	if token == "" {
		return "", nil
	}
	if len(token) > maxCursorLength {
		return "", errCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	var c cursor
	if err != nil || json.Unmarshal(b, &c) != nil || c.Pos == "" || c.Scope != scope {
		return "", errCursor
	}
	return c.Pos, nil
}

func compareFold(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }
