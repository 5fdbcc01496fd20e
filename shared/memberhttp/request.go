package memberhttp

import (
	"strconv"
	"strings"

	"roster/shared/api"
	"roster/shared/domain"
	"roster/shared/members"
)

// versionBody is the body of deactivate, reactivate and remove.
type versionBody struct {
	Version int64 `json:"version"`
}

var errMissingVersion = domain.CodeMissingVersion.Field("version", "Send the version of the member you act on.")

// versionOf returns the member version a request acts on: the query
// parameter version, else the JSON body's version. It returns invalid
// missing_version when there is none or it is not a positive whole number,
// and the errors of api.Decode for a malformed body.
func versionOf(req api.Request) (int64, error) {
	if v, ok := req.QueryStringParameters["version"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return 0, errMissingVersion
		}
		return n, nil
	}
	b, err := api.Body(req)
	if err != nil {
		return 0, err
	}
	if strings.TrimSpace(string(b)) == "" {
		return 0, errMissingVersion
	}
	var body versionBody
	if err := api.Decode(req, &body); err != nil {
		return 0, err
	}
	if body.Version <= 0 {
		return 0, errMissingVersion
	}
	return body.Version, nil
}

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
