package members

import (
	"encoding/base64"
	"encoding/json"

	"roster/shared/domain"
)

// cursor is the opaque paging token of the member list: the store's
// position, bound to the account, status and search it was made for.
type cursor struct {
	Account string `json:"a"`
	Status  string `json:"s"`
	Query   string `json:"q,omitempty"`
	Pos     string `json:"p"`
}

// maxCursorLength bounds a cursor before it is decoded.
const maxCursorLength = 1024

var errBadCursor = domain.CodeInvalidCursor.Field("cursor", "This page link is not valid for this list; start from the first page.")

// encodeCursor renders a position as an opaque token ("" for no position).
func encodeCursor(accountID string, status domain.MemberStatus, query, pos string) string {
	if pos == "" {
		return ""
	}
	b, _ := json.Marshal(cursor{Account: accountID, Status: string(status), Query: query, Pos: pos})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor returns the position of a token made for the same account,
// status and search. It returns an invalid_cursor error for anything else.
func decodeCursor(token, accountID string, status domain.MemberStatus, query string) (string, error) {
	if token == "" {
		return "", nil
	}
	if len(token) > maxCursorLength {
		return "", errBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", errBadCursor
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Pos == "" {
		return "", errBadCursor
	}
	if c.Account != accountID || c.Status != string(status) || c.Query != query {
		return "", errBadCursor
	}
	return c.Pos, nil
}
