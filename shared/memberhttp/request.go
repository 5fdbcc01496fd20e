package memberhttp

import (
	"strconv"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/members"
)

// listQueryOf reads the member list's query string: status, q, cursor and
// limit. It returns invalid invalid_limit when limit is not a whole number
// from 1 to MaxLimit.
func listQueryOf(req api.Request) (members.ListQuery, error) {
	p := req.QueryStringParameters
	q := members.ListQuery{Status: domain.MemberStatus(p["status"]), Q: p["q"], Cursor: p["cursor"]}
	if l, ok := p["limit"]; ok {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > members.MaxLimit {
			return q, domain.CodeInvalidLimit.Field("limit", "The page size must be between 1 and 100.")
		}
		q.Limit = n
	}
	return q, nil
}
